
MON-2026-0309Z›
OOAD-07Falta de mÃ©dicos especialistas
2026-08-22"CHospitales del IMSS en Chiapas sin especialistas en fines de semana*Diario regional de Chiapas0ð¢