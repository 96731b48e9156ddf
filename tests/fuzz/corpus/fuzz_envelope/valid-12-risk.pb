
RTR-2026-103jê
OOAD-09Desabasto de medicamentos
2026-08-27"MInventario de claves de alto consumo por debajo de 15 d√≠as en tres unidades.(0:RTR 2026-08