
VIN-2026-045b�
OOAD-243Convenio estatal para subrogación de hemodiálisis
2026-08-19"lVencimiento próximo del convenio con el gobierno estatal para la subrogación de sesiones de hemodiálisis.(0