package reimbursement

import "roadcover"

// Reading is one interpretation the check takes where the terms leave a
// question about receipts open; a line lists the ids it relied on.
type Reading struct {
	ID      string
	Clauses []string
	Text    roadcover.Texts
}

// The ids of the readings.
const (
	readingChoiceRequired  = "choice_required"
	readingVATStandardRate = "vat_standard_rate"
	readingCrossRate       = "cross_rate"
	readingPersonPool      = "person_pool"
	readingHotelNights     = "hotel_nights"
	readingSpread          = "spread_evenly"
	readingRentalWindow    = "rental_window"
	readingRentalCalendar  = "rental_calendar_days"
	readingCollectionOnce  = "collection_once"
	readingAllowanceRental = "allowance_rental"
	readingTaxiDistance    = "taxi_distance"
)

// Readings lists every reading of the check.
var Readings = []Reading{
	{readingChoiceRequired, []string{"1.3", "1.4", "1.5"}, tx(
		"A receipt for an option of a choose-one group is checked only once the customer's choice is recorded; a receipt for another option than the chosen one is refused.",
		"Ein Beleg für eine Alternative einer Gruppe, aus der nur eine gewählt werden kann, wird erst geprüft, wenn die Wahl des Kunden erfasst ist; ein Beleg für eine andere als die gewählte wird abgelehnt.",
		"Um recibo de uma alternativa de um grupo de escolha única só é verificado depois de registada a escolha do cliente; um recibo de outra alternativa é recusado.",
		"En kvittering for et alternativ i en gruppe, hvor kun ét kan vælges, kontrolleres først, når kundens valg er registreret; en kvittering for et andet alternativ afvises.",
		"Ett kvitto för ett alternativ i en grupp där bara ett kan väljas prövas först när kundens val är registrerat; ett kvitto för ett annat alternativ avslås.")},
	{readingVATStandardRate, []string{"exclusions"}, tx(
		"For a customer who declares VAT, a receipt that shows no VAT has VAT taken out at the standard rate of the country where it was bought (where the car is, unless the receipt says otherwise); an operator may correct a reduced rate by review.",
		"Bei einem umsatzsteuerpflichtigen Kunden wird aus einem Beleg ohne ausgewiesene Steuer die Umsatzsteuer zum Regelsatz des Landes des Kaufs herausgerechnet (des Landes, in dem das Fahrzeug steht, sofern der Beleg nichts anderes sagt); ein ermäßigter Satz kann in der Prüfung berichtigt werden.",
		"Para um cliente que declara IVA, a um recibo sem IVA indicado é retirado o IVA à taxa normal do país da compra (onde está o automóvel, salvo indicação do recibo); uma taxa reduzida pode ser corrigida na revisão.",
		"For en momsregistreret kunde trækkes moms ud af en kvittering uden angivet moms med normalsatsen i købslandet (hvor bilen er, medmindre kvitteringen siger andet); en nedsat sats kan rettes ved gennemgang.",
		"För en kund som redovisar moms dras moms av från ett kvitto utan angiven moms med normalskattesatsen i köplandet (där bilen är, om kvittot inte säger annat); en lägre skattesats kan rättas vid granskning.")},
	{readingCrossRate, []string{"1.3.1", "1.3.2", "1.5"}, tx(
		"A receipt in neither EUR nor the limit's currency is converted through EUR with the two ECB reference rates of the receipt's day.",
		"Ein Beleg weder in EUR noch in der Währung der Grenze wird über EUR mit den beiden EZB-Referenzkursen des Belegtags umgerechnet.",
		"Um recibo que não está em EUR nem na moeda do limite é convertido através do EUR com as duas taxas de referência do BCE do dia do recibo.",
		"En kvittering hverken i EUR eller i grænsens valuta omregnes via EUR med ECB's to referencekurser på kvitteringens dag.",
		"Ett kvitto varken i EUR eller i gränsens valuta räknas om via EUR med ECB:s två referenskurser för kvittots dag.")},
	{readingPersonPool, []string{"1.3.1"}, tx(
		"Travel is paid up to the limit per person for the persons on each receipt, and in all up to the limit times the persons of the decision; receipts do not name who travelled.",
		"Reisen werden bis zur Grenze pro Person für die Personen jedes Belegs bezahlt, insgesamt bis zur Grenze mal der Personenzahl der Entscheidung; Belege nennen die Reisenden nicht.",
		"As viagens são pagas até ao limite por pessoa para as pessoas de cada recibo e, no total, até ao limite vezes as pessoas da decisão; os recibos não nomeiam os viajantes.",
		"Rejser betales op til grænsen per person for personerne på hver kvittering og i alt op til grænsen gange antallet i afgørelsen; kvitteringer nævner ikke de rejsende.",
		"Resor betalas upp till gränsen per person för personerna på varje kvitto och totalt upp till gränsen gånger antalet i beslutet; kvitton namnger inte resenärerna.")},
	{readingHotelNights, []string{"1.3.2"}, tx(
		"At most the maximum number of distinct nights is paid per case, each night for at most the persons of the decision, the nights counted in the order the receipts are checked.",
		"Je Fall werden höchstens so viele verschiedene Nächte bezahlt wie erlaubt, jede Nacht für höchstens die Personen der Entscheidung, gezählt in der Reihenfolge der Prüfung der Belege.",
		"Por caso pagam-se no máximo as noites distintas permitidas, cada noite para no máximo as pessoas da decisão, contadas pela ordem de verificação dos recibos.",
		"Per sag betales højst det tilladte antal forskellige nætter, hver nat for højst personerne i afgørelsen, talt i den rækkefølge kvitteringerne kontrolleres.",
		"Per ärende betalas högst det tillåtna antalet olika nätter, varje natt för högst personerna i beslutet, räknade i den ordning kvittona prövas.")},
	{readingSpread, []string{"1.3.1", "1.3.2", "1.3.3", "1.4", "1.5"}, tx(
		"When only some of the persons, nights or days of a receipt are paid, its amount is spread evenly over them.",
		"Wird nur ein Teil der Personen, Nächte oder Tage eines Belegs bezahlt, wird sein Betrag gleichmäßig auf sie verteilt.",
		"Quando só parte das pessoas, noites ou dias de um recibo é paga, o seu valor é repartido por igual.",
		"Når kun nogle af en kvitterings personer, nætter eller dage betales, fordeles beløbet ligeligt på dem.",
		"När bara en del av ett kvittos personer, nätter eller dagar betalas fördelas beloppet jämnt på dem.")},
	{readingRentalWindow, []string{"1.3.3", "1.5"}, tx(
		"A rental car counted in working days is paid for every day from the day of the event up to the last of those working days (the decision's 'until'), weekends and holidays in between included.",
		"Ein in Arbeitstagen bemessener Mietwagen wird für jeden Tag vom Tag des Ereignisses bis zum letzten dieser Arbeitstage (\"until\" der Entscheidung) bezahlt, Wochenenden und Feiertage dazwischen eingeschlossen.",
		"Um automóvel de aluguer contado em dias úteis é pago por cada dia desde o dia do evento até ao último desses dias úteis (o 'until' da decisão), incluindo fins de semana e feriados intermédios.",
		"En lejebil opgjort i hverdage betales for hver dag fra hændelsens dag til den sidste af disse hverdage (afgørelsens 'until'), mellemliggende weekender og helligdage medregnet.",
		"En hyrbil räknad i arbetsdagar betalas för varje dag från händelsens dag till den sista av dessa arbetsdagar (beslutets 'until'), mellanliggande helger inräknade.")},
	{readingRentalCalendar, []string{"1.3.3", "1.5"}, tx(
		"A rental car counted in calendar days is paid for the first days hired up to the maximum, in the order the receipts are checked.",
		"Ein in Kalendertagen bemessener Mietwagen wird für die ersten gemieteten Tage bis zur Höchstzahl bezahlt, in der Reihenfolge der Prüfung.",
		"Um automóvel de aluguer contado em dias de calendário é pago pelos primeiros dias alugados até ao máximo, pela ordem de verificação.",
		"En lejebil opgjort i kalenderdage betales for de første lejede dage op til det højeste antal, i den rækkefølge kvitteringerne kontrolleres.",
		"En hyrbil räknad i kalenderdagar betalas för de första hyrda dagarna upp till högsta antalet, i den ordning kvittona prövas.")},
	{readingCollectionOnce, []string{"1.4"}, tx(
		"Travel to collect the car is one single journey for one person per case.",
		"Die Fahrt zur Abholung ist eine einfache Fahrt für eine Person je Fall.",
		"A viagem para recolher o automóvel é uma viagem de ida para uma pessoa por caso.",
		"Rejsen for at hente bilen er én enkeltrejse for én person per sag.",
		"Resan för att hämta bilen är en enkelresa för en person per ärende.")},
	{readingAllowanceRental, []string{"1.5"}, tx(
		"With the allowance chosen, a local rental car counts against the allowance (GB as a local expense, DK and PT as the text says); under the German text it is paid besides the allowance, with no amount named.",
		"Ist die Entschädigung gewählt, zählt ein Mietwagen vor Ort auf die Entschädigung (GB als Ausgabe vor Ort, DK und PT laut Text); nach dem deutschen Text wird er zusätzlich bezahlt, ohne genannten Betrag.",
		"Escolhido o reembolso, um automóvel de aluguer local conta para o reembolso (GB como despesa local, DK e PT conforme o texto); no texto alemão é pago além do reembolso, sem valor indicado.",
		"Er godtgørelsen valgt, tæller en lokal lejebil med i godtgørelsen (GB som lokal udgift, DK og PT efter teksten); efter den tyske tekst betales den ud over godtgørelsen uden angivet beløb.",
		"Är ersättningen vald räknas en lokal hyrbil in i ersättningen (GB som lokal utgift, DK och PT enligt texten); enligt den tyska texten betalas den utöver ersättningen utan angivet belopp.")},
	{readingTaxiDistance, []string{"1.3.1"}, tx(
		"A taxi ride whose receipt gives a distance of 110 km or more is not one of the short rides; a receipt without a distance is taken as a short ride.",
		"Eine Taxifahrt, deren Beleg 110 km oder mehr angibt, ist keine der kurzen Fahrten; ein Beleg ohne Entfernung gilt als kurze Fahrt.",
		"Uma viagem de táxi cujo recibo indica 110 km ou mais não é uma das viagens curtas; um recibo sem distância é tido como viagem curta.",
		"En taxatur, hvis kvittering angiver 110 km eller mere, er ikke en af de korte ture; en kvittering uden afstand regnes som en kort tur.",
		"En taxiresa vars kvitto anger 110 km eller mer är inte en av de korta resorna; ett kvitto utan avstånd räknas som en kort resa.")},
}

// rely records that the line relied on a reading.
func (c *check) rely(id string) {
	for _, r := range c.l.Readings {
		if r == id {
			return
		}
	}
	c.l.Readings = append(c.l.Readings, id)
}
