
O-OV3‚"
it-9992analista.norte:Prueba