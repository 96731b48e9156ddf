
EVA-2026-043b�
OOAD-261Conservación de infraestructura y equipo médico
2026-08-21"VVerificación: 12 equipos médicos sin contrato de mantenimiento vigente en el HGZ 50.(0