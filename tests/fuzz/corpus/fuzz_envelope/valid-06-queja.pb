
SIQ-2026-0002862Rw
OOAD-02Trato
2026-08-08"QPersonal de enfermería gritó a la paciente durante su estancia en observación.*HGR 20