
O-OV1Ç@
$item	"Legal*DJ2analista.norte:Revisi√≥n de expedientes