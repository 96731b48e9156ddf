
VIN-2026-041b�
OOAD-220Afiliación de trabajadores eventuales del campo
2026-08-10"`Gestión con el gobierno estatal: jornaleros agrícolas sin afiliación en temporada de cosecha.(