
DEMO-L-1Šs
	AC-DEMO-1accion-correctiva
2027-01-29"ITEM*DPM2%Redistribuir el abasto entre unidades:PAT 2.3banalista.uad