
O-OV2Ç9
$other*DIR2analista.sur:Corresponde a incorporaci√≥n