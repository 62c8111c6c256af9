package reimbursement

import (
	"strconv"
	"strings"

	"roadcover"
	"roadcover/assistance"
)

// Reason codes of a line and its steps. The JSON keeps the code; the text
// is ours, in the customer's language, and is rendered again from the code
// and the step's values in any language (Line.In).
const (
	ReasonWithinLimits        = "within_limits"
	ReasonRentalWithAllowance = "local_rental_with_allowance"
	ReasonVATRemoved          = "vat_removed"
	ReasonVATRemovedStandard  = "vat_removed_standard_rate"
	ReasonVATRateUnknown      = "vat_rate_unknown"
	ReasonRateUnknown         = "rate_unknown"
	ReasonCaseNotCovered      = "case_not_covered"
	ReasonNotArranged         = "not_arranged_by_assistance"
	ReasonFuel                = "fuel_not_paid"
	ReasonRepair              = "repair_and_parts_not_paid"
	ReasonTyres               = "tyres_not_paid"
	ReasonNotEntitled         = "not_entitled"
	ReasonNoOptionChosen      = "no_option_chosen"
	ReasonOptionNotChosen     = "option_not_chosen"
	ReasonAfterClosed         = "after_case_closed"
	ReasonPersonsOver         = "persons_over"
	ReasonLimitPerPerson      = "limit_per_person"
	ReasonLimitPerNight       = "limit_per_person_night"
	ReasonLimitPerCase        = "limit_per_case"
	ReasonLimitUsedUp         = "limit_used_up"
	ReasonNightsOverMax       = "nights_over_max"
	ReasonNightsPaid          = "nights_already_paid"
	ReasonDaysOutside         = "rental_days_after_until"
	ReasonDaysOverMax         = "rental_days_over_max"
	ReasonDaysPaid            = "rental_days_already_paid"
	ReasonWorkdaysUnknown     = "working_days_unknown"
	ReasonTaxiTooLong         = "taxi_ride_too_long"
	ReasonOnePerson           = "one_person_only"
	ReasonCollectionPaid      = "collection_already_paid"
	ReasonNotInAllowance      = "not_in_allowance"

	// The operator's reasons (Review).
	ReasonOperatorApproved = "approved_by_operator"
	ReasonNotCheapest      = "not_cheapest_way"
	ReasonNotEquivalentCar = "not_equivalent_car"
	ReasonNotDuringRepair  = "not_during_repair"
	ReasonDuplicate        = "duplicate_receipt"
	ReasonUnreadable       = "unreadable_receipt"
	ReasonNotThisCase      = "not_for_this_case"
	ReasonOther            = "other"
)

func tx(en, de, pt, da, sv string) roadcover.Texts {
	return roadcover.Texts{roadcover.English: en, roadcover.German: de, roadcover.Portuguese: pt,
		roadcover.Danish: da, roadcover.Swedish: sv}
}

// texts are the reason texts. Placeholders: {value} an amount, {n} and {of}
// counts, {max} a maximum, {day} a date, {what} a code, country or currency,
// {rate} a VAT rate in percent.
var texts = map[string]roadcover.Texts{
	ReasonWithinLimits: tx(
		"Paid in full: within the limits of the terms.",
		"Voll erstattet: innerhalb der Grenzen der Bedingungen.",
		"Reembolsado na totalidade: dentro dos limites das condições.",
		"Refunderes fuldt ud: inden for vilkårenes grænser.",
		"Ersätts i sin helhet: inom villkorens gränser."),
	ReasonRentalWithAllowance: tx(
		"Paid in full: under these terms a local rental car is paid besides the allowance.",
		"Voll erstattet: nach diesen Bedingungen wird ein Mietwagen vor Ort zusätzlich zur Entschädigung bezahlt.",
		"Reembolsado na totalidade: nestas condições um automóvel de aluguer local é pago além do reembolso.",
		"Refunderes fuldt ud: efter disse vilkår betales en lokal lejebil ud over godtgørelsen.",
		"Ersätts i sin helhet: enligt dessa villkor betalas en lokal hyrbil utöver ersättningen."),
	ReasonVATRemoved: tx(
		"The VAT shown on the receipt, {value}, is taken out: the customer declares VAT.",
		"Die auf dem Beleg ausgewiesene Umsatzsteuer von {value} wird abgezogen: der Kunde ist selbst umsatzsteuerpflichtig.",
		"O IVA indicado no recibo, {value}, é retirado: o cliente declara IVA.",
		"Momsen på kvitteringen, {value}, trækkes fra: kunden er momsregistreret.",
		"Momsen på kvittot, {value}, dras av: kunden redovisar moms."),
	ReasonVATRemovedStandard: tx(
		"VAT of {value} is taken out at the standard rate of {rate} % in {what}: the customer declares VAT and the receipt shows no VAT.",
		"Umsatzsteuer von {value} wird zum Regelsatz von {rate} % in {what} abgezogen: der Kunde ist selbst umsatzsteuerpflichtig und der Beleg weist keine Steuer aus.",
		"O IVA de {value} é retirado à taxa normal de {rate} % em {what}: o cliente declara IVA e o recibo não indica IVA.",
		"Moms på {value} trækkes fra med normalsatsen {rate} % i {what}: kunden er momsregistreret, og kvitteringen viser ingen moms.",
		"Moms på {value} dras av med normalskattesatsen {rate} % i {what}: kunden redovisar moms och kvittot visar ingen moms."),
	ReasonVATRateUnknown: tx(
		"The receipt shows no VAT and no standard VAT rate is known for {what}: the VAT amount on the receipt is needed.",
		"Der Beleg weist keine Umsatzsteuer aus und für {what} ist kein Regelsteuersatz bekannt: der Steuerbetrag des Belegs wird benötigt.",
		"O recibo não indica IVA e não se conhece a taxa normal de IVA de {what}: é necessário o valor do IVA do recibo.",
		"Kvitteringen viser ingen moms, og der kendes ingen normalsats for {what}: kvitteringens momsbeløb skal oplyses.",
		"Kvittot visar ingen moms och ingen normalskattesats är känd för {what}: kvittots momsbelopp behövs."),
	ReasonRateUnknown: tx(
		"No euro reference rate for {what} is known for {day}: the assistance desk sets the amount when it reviews the receipt.",
		"Für {what} ist zum {day} kein Euro-Referenzkurs bekannt: die Pannenhilfe legt den Betrag bei der Prüfung des Belegs fest.",
		"Não se conhece a taxa de referência do euro para {what} em {day}: a assistência fixa o montante ao rever o recibo.",
		"Der kendes ingen euroreferencekurs for {what} den {day}: vejhjælpen fastsætter beløbet, når den gennemgår kvitteringen.",
		"Ingen referenskurs mot euro för {what} är känd för {day}: assistansen fastställer beloppet när den granskar kvittot."),
	ReasonCaseNotCovered: tx(
		"The case is not covered ({what}): nothing is paid back.",
		"Der Fall ist nicht gedeckt ({what}): es wird nichts erstattet.",
		"O caso não está coberto ({what}): nada é reembolsado.",
		"Sagen er ikke dækket ({what}): intet refunderes.",
		"Ärendet omfattas inte ({what}): inget ersätts."),
	ReasonNotArranged: tx(
		"Not arranged or approved by assistance beforehand: not paid back.",
		"Nicht vorab von der Assistance veranlasst oder genehmigt: keine Erstattung.",
		"Não foi organizado nem aprovado previamente pela assistência: não é reembolsado.",
		"Ikke arrangeret eller godkendt af vejhjælpen på forhånd: refunderes ikke.",
		"Inte ordnat eller godkänt av assistansen i förväg: ersätts inte."),
	ReasonFuel: tx(
		"Fuel and energy are not paid.",
		"Kraftstoff und Energie werden nicht bezahlt.",
		"Combustível e energia não são pagos.",
		"Brændstof og energi betales ikke.",
		"Bränsle och energi betalas inte."),
	ReasonRepair: tx(
		"Repairs and spare parts are not paid.",
		"Reparaturen und Ersatzteile werden nicht bezahlt.",
		"Reparações e peças sobresselentes não são pagas.",
		"Reparationer og reservedele betales ikke.",
		"Reparationer och reservdelar betalas inte."),
	ReasonTyres: tx(
		"Tyres are not paid.",
		"Reifen werden nicht bezahlt.",
		"Pneus não são pagos.",
		"Dæk betales ikke.",
		"Däck betalas inte."),
	ReasonNotEntitled: tx(
		"The decision of this case gives no right to this: {what}.",
		"Die Entscheidung dieses Falls gibt keinen Anspruch darauf: {what}.",
		"A decisão deste caso não dá direito a isto: {what}.",
		"Afgørelsen i denne sag giver ikke ret til dette: {what}.",
		"Beslutet i detta ärende ger ingen rätt till detta: {what}."),
	ReasonNoOptionChosen: tx(
		"The customer has not yet chosen one of the options ({what}): the choice is recorded first.",
		"Der Kunde hat noch keine der Alternativen gewählt ({what}): zuerst wird die Wahl erfasst.",
		"O cliente ainda não escolheu uma das alternativas ({what}): primeiro regista-se a escolha.",
		"Kunden har endnu ikke valgt et af alternativerne ({what}): valget registreres først.",
		"Kunden har ännu inte valt ett av alternativen ({what}): valet registreras först."),
	ReasonOptionNotChosen: tx(
		"The customer chose another option ({what}); only the chosen one is paid.",
		"Der Kunde hat eine andere Alternative gewählt ({what}); nur die gewählte wird bezahlt.",
		"O cliente escolheu outra alternativa ({what}); só a escolhida é paga.",
		"Kunden valgte et andet alternativ ({what}); kun det valgte betales.",
		"Kunden valde ett annat alternativ ({what}); bara det valda betalas."),
	ReasonAfterClosed: tx(
		"Dated after the case was closed on {day}.",
		"Datiert nach dem Abschluss des Falls am {day}.",
		"Com data posterior ao encerramento do caso em {day}.",
		"Dateret efter at sagen blev lukket den {day}.",
		"Daterat efter att ärendet stängdes den {day}."),
	ReasonPersonsOver: tx(
		"Persons counted: {n} of the {of} on the receipt, the number in the decision.",
		"Gezählte Personen: {n} der {of} auf dem Beleg, die Zahl der Entscheidung.",
		"Pessoas contadas: {n} das {of} do recibo, o número da decisão.",
		"Personer talt med: {n} af de {of} på kvitteringen, antallet i afgørelsen.",
		"Antal personer: {n} av de {of} på kvittot, antalet i beslutet."),
	ReasonLimitPerPerson: tx(
		"Cut to the limit of {value} per person; persons counted: {n}.",
		"Gekürzt auf die Grenze von {value} pro Person; gezählte Personen: {n}.",
		"Reduzido ao limite de {value} por pessoa; pessoas contadas: {n}.",
		"Nedsat til grænsen på {value} per person; personer talt med: {n}.",
		"Sänkt till gränsen {value} per person; antal personer: {n}."),
	ReasonLimitPerNight: tx(
		"Cut to the limit of {value} per person and night; person-nights counted: {n}.",
		"Gekürzt auf die Grenze von {value} pro Person und Nacht; gezählte Personennächte: {n}.",
		"Reduzido ao limite de {value} por pessoa e noite; noites por pessoa contadas: {n}.",
		"Nedsat til grænsen på {value} per person og nat; personnætter talt med: {n}.",
		"Sänkt till gränsen {value} per person och natt; antal personnätter: {n}."),
	ReasonLimitPerCase: tx(
		"Cut to what is left of the limit of {value} for the case.",
		"Gekürzt auf den Rest der Grenze von {value} für den Fall.",
		"Reduzido ao que resta do limite de {value} para o caso.",
		"Nedsat til resten af grænsen på {value} for sagen.",
		"Sänkt till det som återstår av gränsen {value} för ärendet."),
	ReasonLimitUsedUp: tx(
		"The limit of {value} for the case is used up by earlier receipts.",
		"Die Grenze von {value} für den Fall ist durch frühere Belege ausgeschöpft.",
		"O limite de {value} para o caso foi esgotado por recibos anteriores.",
		"Grænsen på {value} for sagen er opbrugt af tidligere kvitteringer.",
		"Gränsen {value} för ärendet är förbrukad av tidigare kvitton."),
	ReasonNightsOverMax: tx(
		"Person-nights paid: {n} of {of}; at most {max} nights are paid per case.",
		"Bezahlte Personennächte: {n} von {of}; je Fall werden höchstens {max} Nächte bezahlt.",
		"Noites por pessoa pagas: {n} de {of}; por caso pagam-se no máximo {max} noites.",
		"Betalte personnætter: {n} af {of}; der betales højst {max} nætter per sag.",
		"Betalda personnätter: {n} av {of}; högst {max} nätter betalas per ärende."),
	ReasonNightsPaid: tx(
		"Person-nights paid: {n} of {of}; the others were paid on earlier receipts.",
		"Bezahlte Personennächte: {n} von {of}; die übrigen wurden mit früheren Belegen bezahlt.",
		"Noites por pessoa pagas: {n} de {of}; as restantes foram pagas com recibos anteriores.",
		"Betalte personnætter: {n} af {of}; de øvrige er betalt på tidligere kvitteringer.",
		"Betalda personnätter: {n} av {of}; de övriga betalades på tidigare kvitton."),
	ReasonDaysOutside: tx(
		"Rental days paid: {n} of {of}; the rental is covered up to {day}.",
		"Bezahlte Miettage: {n} von {of}; die Miete ist bis {day} gedeckt.",
		"Dias de aluguer pagos: {n} de {of}; o aluguer está coberto até {day}.",
		"Betalte lejedage: {n} af {of}; lejen er dækket til og med {day}.",
		"Betalda hyrdagar: {n} av {of}; hyran omfattas till och med {day}."),
	ReasonDaysOverMax: tx(
		"Rental days paid: {n} of {of}; at most {max} days are paid per case.",
		"Bezahlte Miettage: {n} von {of}; je Fall werden höchstens {max} Tage bezahlt.",
		"Dias de aluguer pagos: {n} de {of}; por caso pagam-se no máximo {max} dias.",
		"Betalte lejedage: {n} af {of}; der betales højst {max} dage per sag.",
		"Betalda hyrdagar: {n} av {of}; högst {max} dagar betalas per ärende."),
	ReasonDaysPaid: tx(
		"Rental days paid: {n} of {of}; the others were paid on earlier receipts.",
		"Bezahlte Miettage: {n} von {of}; die übrigen wurden mit früheren Belegen bezahlt.",
		"Dias de aluguer pagos: {n} de {of}; os restantes foram pagos com recibos anteriores.",
		"Betalte lejedage: {n} af {of}; de øvrige er betalt på tidligere kvitteringer.",
		"Betalda hyrdagar: {n} av {of}; de övriga betalades på tidigare kvitton."),
	ReasonWorkdaysUnknown: tx(
		"The working days of {what} are not known: the rental days cannot be counted.",
		"Die Arbeitstage von {what} sind nicht bekannt: die Miettage können nicht gezählt werden.",
		"Os dias úteis de {what} não são conhecidos: os dias de aluguer não podem ser contados.",
		"Hverdagene i {what} kendes ikke: lejedagene kan ikke tælles.",
		"Arbetsdagarna i {what} är inte kända: hyrdagarna kan inte räknas."),
	ReasonTaxiTooLong: tx(
		"A taxi ride of {n} km is not one of the short rides under {max} km paid up to {value} per case.",
		"Eine Taxifahrt von {n} km ist keine der kurzen Fahrten unter {max} km, die bis {value} je Fall bezahlt werden.",
		"Uma viagem de táxi de {n} km não é uma das viagens curtas de menos de {max} km pagas até {value} por caso.",
		"En taxatur på {n} km er ikke en af de korte ture under {max} km, der betales op til {value} per sag.",
		"En taxiresa på {n} km är inte en av de korta resorna under {max} km som betalas upp till {value} per ärende."),
	ReasonOnePerson: tx(
		"Paid for one person: the travel to collect the car is for one person.",
		"Für eine Person bezahlt: die Fahrt zur Abholung des Fahrzeugs gilt für eine Person.",
		"Pago para uma pessoa: a viagem para recolher o automóvel é para uma pessoa.",
		"Betalt for én person: rejsen for at hente bilen gælder én person.",
		"Betalt för en person: resan för att hämta bilen gäller en person."),
	ReasonCollectionPaid: tx(
		"The travel to collect the car was already paid on an earlier receipt.",
		"Die Fahrt zur Abholung des Fahrzeugs wurde bereits mit einem früheren Beleg bezahlt.",
		"A viagem para recolher o automóvel já foi paga com um recibo anterior.",
		"Rejsen for at hente bilen er allerede betalt på en tidligere kvittering.",
		"Resan för att hämta bilen har redan betalats på ett tidigare kvitto."),
	ReasonNotInAllowance: tx(
		"Under these terms the allowance abroad pays for a local rental car only, not for other expenses.",
		"Nach diesen Bedingungen deckt die Entschädigung im Ausland nur einen Mietwagen vor Ort, keine anderen Ausgaben.",
		"Nestas condições o reembolso no estrangeiro cobre apenas um automóvel de aluguer local, não outras despesas.",
		"Efter disse vilkår dækker godtgørelsen i udlandet kun en lokal lejebil, ikke andre udgifter.",
		"Enligt dessa villkor täcker ersättningen utomlands bara en lokal hyrbil, inte andra utgifter."),

	ReasonOperatorApproved: tx(
		"Approved by the operator.",
		"Vom Sachbearbeiter genehmigt.",
		"Aprovado pelo operador.",
		"Godkendt af sagsbehandleren.",
		"Godkänt av handläggaren."),
	ReasonNotCheapest: tx(
		"Cut or refused by the operator: not the least expensive way to travel.",
		"Vom Sachbearbeiter gekürzt oder abgelehnt: nicht die günstigste Art zu reisen.",
		"Reduzido ou recusado pelo operador: não é o meio de transporte mais barato.",
		"Nedsat eller afvist af sagsbehandleren: ikke den billigste måde at rejse på.",
		"Sänkt eller avslaget av handläggaren: inte det billigaste sättet att resa."),
	ReasonNotEquivalentCar: tx(
		"Cut or refused by the operator: the rental car is larger or better equipped than the customer's own.",
		"Vom Sachbearbeiter gekürzt oder abgelehnt: der Mietwagen ist größer oder besser ausgestattet als das eigene Fahrzeug.",
		"Reduzido ou recusado pelo operador: o automóvel de aluguer é maior ou mais equipado do que o do cliente.",
		"Nedsat eller afvist af sagsbehandleren: lejebilen er større eller bedre udstyret end kundens egen.",
		"Sänkt eller avslaget av handläggaren: hyrbilen är större eller bättre utrustad än kundens egen."),
	ReasonNotDuringRepair: tx(
		"Cut or refused by the operator: not while the car was being repaired.",
		"Vom Sachbearbeiter gekürzt oder abgelehnt: nicht während der Reparatur des Fahrzeugs.",
		"Reduzido ou recusado pelo operador: não durante a reparação do automóvel.",
		"Nedsat eller afvist af sagsbehandleren: ikke mens bilen blev repareret.",
		"Sänkt eller avslaget av handläggaren: inte medan bilen reparerades."),
	ReasonDuplicate: tx(
		"Refused by the operator: the same expense was already claimed.",
		"Vom Sachbearbeiter abgelehnt: dieselbe Ausgabe wurde bereits eingereicht.",
		"Recusado pelo operador: a mesma despesa já foi apresentada.",
		"Afvist af sagsbehandleren: den samme udgift er allerede anmeldt.",
		"Avslaget av handläggaren: samma utgift har redan begärts."),
	ReasonUnreadable: tx(
		"Cut or refused by the operator: the receipt does not show clearly what was paid.",
		"Vom Sachbearbeiter gekürzt oder abgelehnt: der Beleg zeigt nicht klar, was bezahlt wurde.",
		"Reduzido ou recusado pelo operador: o recibo não mostra claramente o que foi pago.",
		"Nedsat eller afvist af sagsbehandleren: kvitteringen viser ikke tydeligt, hvad der er betalt.",
		"Sänkt eller avslaget av handläggaren: kvittot visar inte tydligt vad som betalats."),
	ReasonNotThisCase: tx(
		"Refused by the operator: the receipt does not belong to this case.",
		"Vom Sachbearbeiter abgelehnt: der Beleg gehört nicht zu diesem Fall.",
		"Recusado pelo operador: o recibo não pertence a este caso.",
		"Afvist af sagsbehandleren: kvitteringen hører ikke til denne sag.",
		"Avslaget av handläggaren: kvittot hör inte till detta ärende."),
	ReasonOther: tx(
		"Cut or refused by the operator: {what}",
		"Vom Sachbearbeiter gekürzt oder abgelehnt: {what}",
		"Reduzido ou recusado pelo operador: {what}",
		"Nedsat eller afvist af sagsbehandleren: {what}",
		"Sänkt eller avslaget av handläggaren: {what}"),
}

// render fills the text of code in l with the step's values.
func render(code string, s *Step, l roadcover.Language) string {
	t := texts[code].In(l)
	if !strings.Contains(t, "{") {
		return t
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			return b.String()
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t)
			return b.String()
		}
		b.WriteString(t[:i])
		switch t[i+1 : i+j] {
		case "value":
			b.WriteString(formatMoney(s.Value, l))
		case "n":
			b.WriteString(strconv.Itoa(s.N))
		case "of":
			b.WriteString(strconv.Itoa(s.Of))
		case "max":
			b.WriteString(strconv.Itoa(s.Max))
		case "day":
			b.WriteString(s.Day.String())
		case "what":
			b.WriteString(whatLabel(s.What, l))
		case "rate":
			b.WriteString(formatPercent(s.RateBP, l))
		}
		t = t[i+j+1:]
	}
}

// whatLabel names an entitlement code in l; other values (countries,
// currencies, notes) are shown as they are.
func whatLabel(what string, l roadcover.Language) string { return assistance.Label(what, l) }

// formatMoney writes an amount with a decimal point in English and a
// decimal comma in the other languages: "200.00 EUR", "200,00 EUR".
func formatMoney(m roadcover.Money, l roadcover.Language) string {
	s := m.Amount()
	if l != roadcover.English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " " + m.Currency
}

// formatPercent writes basis points as a percentage: 2500 → "25", 2550 → "25.5".
func formatPercent(bp int64, l roadcover.Language) string {
	s := strconv.FormatInt(bp/100, 10)
	if f := bp % 100; f != 0 {
		frac := strconv.FormatInt(f+100, 10)[1:]
		frac = strings.TrimRight(frac, "0")
		sep := "."
		if l != roadcover.English {
			sep = ","
		}
		s += sep + frac
	}
	return s
}
