
RTR-2026-109j�
OOAD-134Daños en infraestructura por temporada de huracanes
2026-08-27"_Unidades médicas costeras sin plan de contingencia actualizado para la temporada de huracanes.(0:RTR 2026-08