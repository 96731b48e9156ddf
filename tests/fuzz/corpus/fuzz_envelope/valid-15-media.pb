
MON-2026-0306Z§
OOAD-30Elevadores fuera de servicio
2026-08-30"OTrasladan pacientes en brazos por elevadores descompuestos en hospital del IMSS*Diario regional de Tamaulipas0À©