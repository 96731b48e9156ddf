
DEMO-L-2’H
accion-correctiva	AC-DEMO-1d"
2026-11-30*Oficio DPM-1232
enlace.dpm