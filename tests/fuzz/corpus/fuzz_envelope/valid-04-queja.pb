
SIQ-2026-0001271R�
OOAD-15Oportunidad de la atención
2026-08-04"VPaciente con dolor abdominal esperó más de seis horas en urgencias sin ser valorado.*HGR 462B
13957812343GAVM780412MJCRLR07María Guadalupe García Valdez