package policies

import "roadcover"

// Note is an outcome of a policy rule: a code and the clause it rests on.
// Its text is our own, in five languages.
type Note struct {
	Code   string
	Clause string
}

// Text is the note's short explanation in l (English when l is unknown).
func (n Note) Text(l roadcover.Language) string { return texts[n.Code].In(l) }

// texts holds our own words for every note code, in en, de, pt, da and sv.
var texts = map[string]roadcover.Texts{
	"issued": {
		"en": "Policy signed; the insurance letter states the cover.",
		"de": "Versicherung abgeschlossen; der Versicherungsschein nennt den Schutz.",
		"pt": "Seguro subscrito; a apólice indica as coberturas.",
		"da": "Forsikringen er tegnet; policen angiver dækningen.",
		"sv": "Försäkringen är tecknad; försäkringsbrevet anger omfattningen.",
	},
	"period_from_letter_date": {
		"en": "Cover begins at the start of the day on the insurance letter.",
		"de": "Der Schutz beginnt zu Beginn des Tages, der im Versicherungsschein steht.",
		"pt": "A cobertura começa no início do dia indicado na apólice.",
		"da": "Dækningen begynder ved starten af den dag, der står i policen.",
		"sv": "Skyddet börjar vid dygnets början den dag som står i försäkringsbrevet.",
	},
	"period_from_signing_hour": {
		"en": "Signed on its first day: cover begins at the hour of signing.",
		"de": "Am ersten Tag unterschrieben: Der Schutz beginnt zur Uhrzeit der Unterschrift.",
		"pt": "Subscrito no primeiro dia: a cobertura começa à hora da subscrição.",
		"da": "Tegnet på den første dag: dækningen begynder på tidspunktet for tegningen.",
		"sv": "Tecknad samma dag: skyddet börjar vid klockslaget för tecknandet.",
	},
	"period_from_next_day": {
		"en": "Signed on its first day with no hour shown: cover begins the next day.",
		"de": "Am ersten Tag ohne nachweisbare Uhrzeit unterschrieben: Der Schutz beginnt am Folgetag.",
		"pt": "Subscrito no primeiro dia sem hora comprovada: a cobertura começa no dia seguinte.",
		"da": "Tegnet på den første dag uden dokumenteret klokkeslæt: dækningen begynder dagen efter.",
		"sv": "Tecknad samma dag utan visat klockslag: skyddet börjar dagen efter.",
	},
	"period_one_year": {
		"en": "The insurance period is one year, to the next yearly due date.",
		"de": "Die Versicherungsperiode dauert ein Jahr, bis zur nächsten Hauptfälligkeit.",
		"pt": "O período de seguro é de um ano, até ao próximo vencimento anual.",
		"da": "Forsikringsperioden er et år, til næste årlige forfaldsdag.",
		"sv": "Försäkringstiden är ett år, till nästa årsförfallodag.",
	},
	"period_to_due_date": {
		"en": "The first insurance period runs to the agreed yearly due date.",
		"de": "Die erste Versicherungsperiode läuft bis zur vereinbarten Hauptfälligkeit.",
		"pt": "O primeiro período de seguro decorre até ao vencimento anual acordado.",
		"da": "Den første forsikringsperiode løber til den aftalte årlige forfaldsdag.",
		"sv": "Den första försäkringstiden löper till den avtalade årsförfallodagen.",
	},
	"renewed": {
		"en": "Renewed for a new insurance period from the yearly due date.",
		"de": "Für eine neue Versicherungsperiode ab der Hauptfälligkeit verlängert.",
		"pt": "Renovado por um novo período a partir do vencimento anual.",
		"da": "Fornyet for en ny forsikringsperiode fra den årlige forfaldsdag.",
		"sv": "Förnyad för en ny försäkringstid från årsförfallodagen.",
	},
	"changed": {
		"en": "The insurance letter was changed from this day.",
		"de": "Der Versicherungsschein wurde ab diesem Tag geändert.",
		"pt": "A apólice foi alterada a partir deste dia.",
		"da": "Policen er ændret fra denne dag.",
		"sv": "Försäkringsbrevet ändrades från denna dag.",
	},
	"cancelled": {
		"en": "The policy ends from this day.",
		"de": "Die Versicherung endet ab diesem Tag.",
		"pt": "O seguro termina a partir deste dia.",
		"da": "Forsikringen ophører fra denne dag.",
		"sv": "Försäkringen upphör från denna dag.",
	},
	"auto_collision": {
		"en": "The maker's damage warranty has ended: collision cover with a 3 000 kr deductible is added.",
		"de": "Die Schadengarantie des Herstellers ist abgelaufen: Kaskoschutz mit 3 000 kr Selbstbeteiligung kommt hinzu.",
		"pt": "A garantia de danos do fabricante terminou: é acrescentada cobertura de colisão com franquia de 3 000 kr.",
		"da": "Producentens skadegaranti er udløbet: kaskodækning med 3 000 kr i selvrisiko tilføjes.",
		"sv": "Personvagnsgarantin har upphört: vagnskadeförsäkring med 3 000 kr självrisk läggs till.",
	},
	"e_invoice": {
		"en": "Invoiced by e-invoice, with no fee.",
		"de": "Rechnung per E-Rechnung, ohne Gebühr.",
		"pt": "Faturado por fatura eletrónica, sem taxa.",
		"da": "Faktureret som e-faktura uden gebyr.",
		"sv": "Faktureras med e-faktura utan avgift.",
	},
	"paper_invoice_fee": {
		"en": "Paper invoice: a fee of 29 kr per invoice.",
		"de": "Papierrechnung: 29 kr Gebühr je Rechnung.",
		"pt": "Fatura em papel: taxa de 29 kr por fatura.",
		"da": "Papirfaktura: gebyr på 29 kr pr. faktura.",
		"sv": "Pappersfaktura: avgift 29 kr per faktura.",
	},
}
