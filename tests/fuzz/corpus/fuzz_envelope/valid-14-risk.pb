
RTR-2026-115já
OOAD-27Abasto de vacunas
2026-08-27"LDosis de vacuna contra influenza insuficientes para la campa√±a de invierno.(0:RTR 2026-08