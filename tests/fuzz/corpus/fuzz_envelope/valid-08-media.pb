
MON-2026-0316Zâ
OOAD-27Retraso en el pago de pensiones
2026-08-15"5Pensionados de Culiac√°n acusan retraso en dep√≥sitos*Radio local de Sinaloa0¿∏