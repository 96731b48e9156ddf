
DEMO-L-5Â/
ITEMtdoe!Prueba: una residual no se cierra