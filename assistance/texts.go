package assistance

import (
	"strconv"
	"strings"

	"roadcover"
	"roadcover/terms"
)

// textSet holds the short texts of one version in one language, with the
// version's numbers already filled in, so that a decision only looks them up.
type textSet struct{ m map[string]string }

func (t *textSet) text(code string) string { return t.m[code] }

var textSets = map[string]map[roadcover.Language]*textSet{}

func init() {
	for _, v := range terms.All() {
		if v.Document == terms.Assistance {
			textSets[v.ID] = buildTexts(v)
		}
	}
}

// buildTexts fills the templates with the version's numbers in every language.
func buildTexts(v *terms.Version) map[roadcover.Language]*textSet {
	byLang := map[roadcover.Language]*textSet{}
	for _, l := range roadcover.Languages {
		ts := &textSet{m: map[string]string{}}
		for code, tpl := range templates {
			if s, ok := fill(tpl.In(l), v, l); ok {
				ts.m[code] = s
			}
		}
		byLang[l] = ts
	}
	return byLang
}

// fill replaces {parameter} with the version's value, formatted for l; ok is
// false when the version has no such parameter (the text is then not used by
// that version).
func fill(tpl string, v *terms.Version, l roadcover.Language) (string, bool) {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			return b.String(), true
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			b.WriteString(tpl)
			return b.String(), true
		}
		b.WriteString(tpl[:i])
		p, ok := v.Param(tpl[i+1 : i+j])
		if !ok {
			return "", false
		}
		b.WriteString(formatParam(p, l))
		tpl = tpl[i+j+1:]
	}
}

func formatParam(p *terms.Parameter, l roadcover.Language) string {
	if cur, ok := strings.CutPrefix(p.Unit, "minor:"); ok {
		return formatMoney(roadcover.Money{Minor: p.Value, Currency: cur}, l)
	}
	return strconv.FormatInt(p.Value, 10)
}

// formatMoney writes an amount for a reader of l: "200.00 EUR" in English,
// "200,00 EUR" in the other four languages.
func formatMoney(m roadcover.Money, l roadcover.Language) string {
	s := m.Amount()
	if l != roadcover.English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " " + m.Currency
}

func tx(en, de, pt, da, sv string) roadcover.Texts {
	return roadcover.Texts{roadcover.English: en, roadcover.German: de, roadcover.Portuguese: pt,
		roadcover.Danish: da, roadcover.Swedish: sv}
}

// templates are our own short explanations of each refusal and entitlement.
// {name} is replaced by the version's parameter of that name.
var templates = map[string]roadcover.Texts{
	NotArranged: tx(
		"Help was not arranged through Polestar Assistance; direct contact is a condition, so nothing is covered or reimbursed.",
		"Die Hilfe wurde nicht über Polestar Assistance organisiert; direkter Kontakt ist Voraussetzung, daher wird nichts übernommen oder erstattet.",
		"A ajuda não foi pedida através da Polestar Assistance; o contacto direto é condição, por isso nada é coberto nem reembolsado.",
		"Hjælpen blev ikke bestilt gennem Polestar vejhjælp; direkte kontakt er en betingelse, så intet dækkes eller refunderes.",
		"Hjälpen beställdes inte via Polestar Assistance; direktkontakt är ett villkor, så inget täcks eller ersätts."),
	ReportedLate: tx(
		"The immobilisation was reported more than {report_within_hours} hours after it happened; nothing is covered.",
		"Der Ausfall wurde später als {report_within_hours} Stunden danach gemeldet; nichts ist gedeckt.",
		"A imobilização foi participada mais de {report_within_hours} horas depois; nada está coberto.",
		"Stilstanden blev anmeldt mere end {report_within_hours} timer efter; intet er dækket.",
		"Stilleståndet anmäldes mer än {report_within_hours} timmar efteråt; inget omfattas."),
	Deregistered: tx(
		"The car is deregistered; deregistered cars are excluded.",
		"Das Fahrzeug ist abgemeldet; abgemeldete Fahrzeuge sind ausgeschlossen.",
		"O automóvel está retirado do registo; estes automóveis estão excluídos.",
		"Bilen er afmeldt; afmeldte biler er undtaget.",
		"Bilen är avregistrerad; avregistrerade bilar är undantagna."),
	OutsideArea: tx(
		"The car is outside the countries where assistance applies.",
		"Das Fahrzeug befindet sich außerhalb des Geltungsbereichs.",
		"O automóvel está fora da área abrangida.",
		"Bilen er uden for dækningsområdet.",
		"Bilen befinner sig utanför området där assistansen gäller."),
	LackOfMaintenance: tx(
		"The breakdown comes from lack of maintenance, which is not covered.",
		"Die Panne beruht auf mangelnder Wartung; das ist nicht gedeckt.",
		"A avaria resulta de falta de manutenção, o que não está coberto.",
		"Nedbruddet skyldes manglende vedligeholdelse, hvilket ikke er dækket.",
		"Driftstoppet beror på bristande underhåll, vilket inte omfattas."),
	"competition": tx(
		"Competition or practice for competition is excluded.",
		"Rennen und Training für Rennen sind ausgeschlossen.",
		"Competição ou treino para competição está excluído.",
		"Konkurrence eller træning til konkurrence er undtaget.",
		"Tävling eller träning för tävling är undantaget."),
	"deliberate_offence": tx(
		"A deliberate breach of the law while driving is excluded.",
		"Ein bewusster Gesetzesverstoß beim Fahren ist ausgeschlossen.",
		"Uma infração consciente ao conduzir está excluída.",
		"En bevidst lovovertrædelse under kørslen er undtaget.",
		"Ett avsiktligt lagbrott vid körningen är undantaget."),
	"force_majeure": tx(
		"War, unrest, strike, terror, radioactivity, earthquake, atmospheric disturbance or other force majeure is excluded.",
		"Krieg, Unruhen, Streik, Terror, Radioaktivität, Erdbeben, atmosphärische Störungen oder andere höhere Gewalt sind ausgeschlossen.",
		"Guerra, motim, greve, terrorismo, radioatividade, sismo, perturbação atmosférica ou outra força maior está excluída.",
		"Krig, uro, strejke, terror, radioaktivitet, jordskælv, atmosfæriske forstyrrelser eller anden force majeure er undtaget.",
		"Krig, oroligheter, strejk, terror, radioaktivitet, jordbävning, atmosfäriska störningar eller annan force majeure är undantaget."),
	"other_warranty_or_liability": tx(
		"The damage falls under another warranty or a third party is liable; assistance does not apply.",
		"Der Schaden fällt unter eine andere Garantie oder ein Dritter haftet; die Assistance gilt nicht.",
		"O dano está coberto por outra garantia ou um terceiro é responsável; a assistência não se aplica.",
		"Skaden dækkes af en anden garanti, eller en tredjepart hæfter; vejhjælpen gælder ikke.",
		"Skadan täcks av en annan garanti eller en tredje part är ansvarig; assistansen gäller inte."),
	EmergencyVehicle: tx(
		"Emergency vehicles are excluded.",
		"Einsatzfahrzeuge sind ausgeschlossen.",
		"Veículos de emergência estão excluídos.",
		"Udrykningskøretøjer er undtaget.",
		"Utryckningsfordon är undantagna."),
	NotImmobilised: tx(
		"After an accident, attempted theft or vandalism the car must be unable to drive; it is not.",
		"Nach Unfall, Diebstahlversuch oder Vandalismus muss das Fahrzeug fahrunfähig sein; das ist es nicht.",
		"Após acidente, tentativa de furto ou vandalismo o automóvel tem de estar imobilizado; não está.",
		"Efter ulykke, tyveriforsøg eller hærværk skal bilen være ude af stand til at køre; det er den ikke.",
		"Efter olycka, stöldförsök eller skadegörelse måste bilen vara köroduglig; det är den inte."),
	CommercialTooOld: tx(
		"A car in commercial use is covered only when younger than {commercial_max_age_months} months; this car is older.",
		"Ein gewerblich genutztes Fahrzeug ist nur gedeckt, wenn es jünger als {commercial_max_age_months} Monate ist; dieses ist älter.",
		"Um automóvel de uso comercial só está coberto com menos de {commercial_max_age_months} meses; este é mais antigo.",
		"En bil i erhvervsbrug er kun dækket, hvis den er yngre end {commercial_max_age_months} måneder; denne er ældre.",
		"En bil i yrkesmässig användning omfattas bara om den är yngre än {commercial_max_age_months} månader; denna är äldre."),
	LocationUnverified: tx(
		"Cover here depends on the exact position (Russia or Cyprus); ask for coordinates.",
		"Die Deckung hängt hier von der genauen Position ab (Russland oder Zypern); Koordinaten erfragen.",
		"A cobertura depende aqui da posição exata (Rússia ou Chipre); peça as coordenadas.",
		"Dækningen afhænger her af den præcise position (Rusland eller Cypern); spørg efter koordinater.",
		"Skyddet beror här på den exakta positionen (Ryssland eller Cypern); fråga efter koordinater."),
	LocationUnverified + ":unknown": tx(
		"Where the car is is not known; ask for the place. Until then the case is decided as at home (no cover abroad is assumed).",
		"Der Standort des Autos ist nicht bekannt; bitte erfragen. Bis dahin wird der Fall wie im Inland entschieden (keine Leistung für das Ausland angenommen).",
		"Não se sabe onde está o automóvel; pergunte o local. Até lá o caso é decidido como no país de residência (não se assume nada do estrangeiro).",
		"Det vides ikke, hvor bilen er; spørg efter stedet. Indtil da afgøres sagen som hjemme (der antages ingen dækning i udlandet).",
		"Det är inte känt var bilen står; fråga efter platsen. Till dess avgörs ärendet som hemma (inget skydd utomlands antas)."),
	"jump_start": tx(
		"Jump start on the spot for the flat 12 V battery.",
		"Starthilfe vor Ort für die leere 12-V-Batterie.",
		"Arranque com cabos no local para a bateria de 12 V descarregada.",
		"Starthjælp på stedet til det afladede 12-V-batteri.",
		"Starthjälp på plats för det urladdade 12 V-batteriet."),
	"fuel_delivery": tx(
		"Fuel is brought to the car; the fuel itself is not paid.",
		"Kraftstoff wird zum Fahrzeug gebracht; der Kraftstoff selbst wird nicht bezahlt.",
		"O combustível é levado ao automóvel; o combustível em si não é pago.",
		"Brændstof bringes ud til bilen; selve brændstoffet betales ikke.",
		"Bränsle körs ut till bilen; själva bränslet betalas inte."),
	"lock_opening": tx(
		"An attempt is made to open the lock.",
		"Es wird versucht, das Fahrzeug zu öffnen.",
		"É feita uma tentativa de abrir a fechadura.",
		"Der gøres et forsøg på at låse bilen op.",
		"Ett försök görs att öppna låset."),
	"spare_key_delivery": tx(
		"A spare key is sent to the car.",
		"Ein Ersatzschlüssel wird zum Fahrzeug geschickt.",
		"É enviada uma chave suplente para o automóvel.",
		"En reservenøgle sendes til bilen.",
		"En reservnyckel skickas till bilen."),
	"tyre_repair_kit": tx(
		"Help on the spot with the car's tyre repair kit.",
		"Hilfe vor Ort mit dem Reifenreparaturset des Fahrzeugs.",
		"Ajuda no local com o kit de reparação de pneus do automóvel.",
		"Hjælp på stedet med bilens dækreparationssæt.",
		"Hjälp på plats med bilens däckreparationssats."),
	"roadside_repair": tx(
		"Help on the spot to get the car moving again.",
		"Hilfe vor Ort, um das Fahrzeug wieder fahrbereit zu machen.",
		"Ajuda no local para pôr o automóvel de novo a funcionar.",
		"Hjælp på stedet for at få bilen i gang igen.",
		"Hjälp på plats för att få bilen att rulla igen."),
	"tow:" + NearestWorkshop: tx(
		"Tow to the nearest authorised Polestar workshop.",
		"Abschleppen zum nächsten autorisierten Polestar Service Center.",
		"Reboque para o centro de assistência autorizado Polestar mais próximo.",
		"Bugsering til nærmeste Polestar-autoriserede servicecenter.",
		"Bogsering till närmaste auktoriserade Polestar-verkstad."),
	"tow:" + RegularWorkshopDest: tx(
		"Tow to the customer's regular Polestar workshop.",
		"Abschleppen zur gewohnten Polestar Werkstatt des Kunden.",
		"Reboque para a oficina Polestar habitual do cliente.",
		"Bugsering til kundens sædvanlige Polestar-værksted.",
		"Bogsering till kundens vanliga Polestar-verkstad."),
	"tow:" + NearestChargerOrWorkshop: tx(
		"Tow to the nearest charging station or authorised Polestar workshop.",
		"Abschleppen zur nächsten Ladestation oder zum autorisierten Polestar Service Center.",
		"Reboque para a estação de carregamento mais próxima ou para um centro autorizado Polestar.",
		"Bugsering til nærmeste ladestation eller Polestar-autoriserede servicecenter.",
		"Bogsering till närmaste laddstation eller auktoriserade Polestar-verkstad."),
	"trailer_recovery": tx(
		"The caravan or trailer towed by the car is recovered too.",
		"Der mitgeführte Wohnwagen oder Anhänger wird mit geborgen.",
		"A caravana ou o reboque puxado pelo automóvel também é recuperado.",
		"Campingvognen eller traileren, som bilen trækker, bjærges også.",
		"Husvagnen eller släpet som bilen drar bärgas också."),
	"livestock_to_safety": tx(
		"Help to get the horsebox and animals to a safe place where possible; the animals themselves are not covered.",
		"Hilfe, Pferdeanhänger und Tiere nach Möglichkeit an einen sicheren Ort zu bringen; die Tiere selbst sind nicht gedeckt.",
		"Ajuda para levar o atrelado e os animais para um local seguro sempre que possível; os animais em si não estão cobertos.",
		"Hjælp til at få hestetraileren og dyrene i sikkerhed, når det er muligt; selve dyrene er ikke dækket.",
		"Hjälp att få hästsläpet och djuren till en säker plats när det går; djuren själva omfattas inte."),
	"onward_travel": tx(
		"Rail, bus, air or taxi home or to the destination, up to {onward_travel_per_person} per person, pets and luggage included; cheapest way.",
		"Bahn, Bus, Flug oder Taxi nach Hause oder zum Ziel, bis {onward_travel_per_person} je Person, Haustiere und Gepäck inbegriffen; günstigster Weg.",
		"Comboio, autocarro, avião ou táxi para casa ou para o destino, até {onward_travel_per_person} por pessoa, com animais e bagagem; pelo meio mais barato.",
		"Tog, bus, fly eller taxa hjem eller til destinationen, op til {onward_travel_per_person} pr. person inkl. husdyr og bagage; billigste måde.",
		"Tåg, buss, flyg eller taxi hem eller till resmålet, upp till {onward_travel_per_person} per person, husdjur och bagage inräknade; billigaste sättet."),
	"hotel": tx(
		"Local hotel while the car is in the workshop, up to {hotel_max_nights} nights at {hotel_per_person_night} per person and night.",
		"Hotel vor Ort, solange das Auto in der Werkstatt ist, bis {hotel_max_nights} Nächte zu {hotel_per_person_night} je Person und Nacht.",
		"Hotel local enquanto o automóvel está na oficina, até {hotel_max_nights} noites a {hotel_per_person_night} por pessoa e noite.",
		"Lokalt hotel, mens bilen er på værkstedet, op til {hotel_max_nights} nætter à {hotel_per_person_night} pr. person og nat.",
		"Hotell på orten medan bilen är på verkstaden, upp till {hotel_max_nights} nätter à {hotel_per_person_night} per person och natt."),
	"rental_car": tx(
		"Rental car of similar size with standard equipment while the car is repaired, up to {rental_max_days} working days; fuel or energy not paid; repaid against receipts.",
		"Mietwagen ähnlicher Größe mit Standardausstattung während der Reparatur, bis {rental_max_days} Arbeitstage; Kraftstoff oder Strom nicht bezahlt; Erstattung gegen Belege.",
		"Automóvel de aluguer de dimensão semelhante com equipamento de série durante a reparação, até {rental_max_days} dias úteis; combustível ou energia não pagos; reembolso contra recibos.",
		"Lejebil af tilsvarende størrelse med standardudstyr, mens bilen repareres, i op til {rental_max_days} hverdage; brændstof eller strøm betales ikke; refunderes mod kvittering.",
		"Hyrbil av liknande storlek med standardutrustning medan bilen repareras, upp till {rental_max_days} arbetsdagar; bränsle eller el betalas inte; ersätts mot kvitton."),
	"rental_car:abroad": tx(
		"Rental car of similar size with standard equipment while the car is repaired abroad, up to {rental_abroad_max_days} working days; fuel or energy not paid; repaid against receipts.",
		"Mietwagen ähnlicher Größe mit Standardausstattung während der Reparatur im Ausland, bis {rental_abroad_max_days} Arbeitstage; Kraftstoff oder Strom nicht bezahlt; Erstattung gegen Belege.",
		"Automóvel de aluguer de dimensão semelhante com equipamento de série durante a reparação no estrangeiro, até {rental_abroad_max_days} dias úteis; combustível ou energia não pagos; reembolso contra recibos.",
		"Lejebil af tilsvarende størrelse med standardudstyr, mens bilen repareres i udlandet, i op til {rental_abroad_max_days} hverdage; brændstof eller strøm betales ikke; refunderes mod kvittering.",
		"Hyrbil av liknande storlek med standardutrustning medan bilen repareras utomlands, upp till {rental_abroad_max_days} arbetsdagar; bränsle eller el betalas inte; ersätts mot kvitton."),
	"rental_car:one_day": tx(
		"After an accident, theft or vandalism: a rental car for {rental_after_accident_days} calendar day only; fuel or energy not paid; repaid against receipts.",
		"Nach Unfall, Diebstahl oder Vandalismus: ein Mietwagen nur für {rental_after_accident_days} Kalendertag; Kraftstoff oder Strom nicht bezahlt; Erstattung gegen Belege.",
		"Após acidente, furto ou vandalismo: automóvel de aluguer só por {rental_after_accident_days} dia de calendário; combustível ou energia não pagos; reembolso contra recibos.",
		"Efter ulykke, tyveri eller hærværk: lejebil i kun {rental_after_accident_days} kalenderdag; brændstof eller strøm betales ikke; refunderes mod kvittering.",
		"Efter olycka, stöld eller skadegörelse: hyrbil endast för {rental_after_accident_days} kalenderdag; bränsle eller el betalas inte; ersätts mot kvitton."),
	"taxi_transfer": tx(
		"Short taxi rides (to fetch or return a rental car, or to a station, airport or hotel) up to {taxi_transfer_limit} for the case, on top of the chosen option.",
		"Kurze Taxifahrten (Mietwagen holen oder zurückgeben, Bahnhof, Flughafen, Hotel) bis {taxi_transfer_limit} je Fall, zusätzlich zur gewählten Alternative.",
		"Viagens curtas de táxi (recolha ou entrega de aluguer, estação, aeroporto, hotel) até {taxi_transfer_limit} por caso, além da alternativa escolhida.",
		"Korte taxature (hente eller aflevere lejebil, station, lufthavn, hotel) op til {taxi_transfer_limit} pr. sag oven i det valgte alternativ.",
		"Korta taxiresor (hämta eller lämna hyrbil, station, flygplats, hotell) upp till {taxi_transfer_limit} per ärende, utöver det valda alternativet."),
	"collection_train": tx(
		"One first-class single train ticket for one person to collect the repaired car.",
		"Eine einfache Bahnfahrt erster Klasse für eine Person zur Abholung des Autos.",
		"Um bilhete de comboio de ida em primeira classe para uma pessoa recolher o automóvel.",
		"Én enkeltbillet på første klasse med tog til én person for at hente bilen.",
		"En enkel tågbiljett i första klass för en person för att hämta bilen."),
	"collection_flight": tx(
		"A flight instead of the train, as the train takes more than {collection_flight_after_train_hours} hours.",
		"Ein Flug statt der Bahn, da die Bahnfahrt mehr als {collection_flight_after_train_hours} Stunden dauert.",
		"Um voo em vez do comboio, pois a viagem de comboio dura mais de {collection_flight_after_train_hours} horas.",
		"Et fly i stedet for toget, da togrejsen tager mere end {collection_flight_after_train_hours} timer.",
		"Flyg i stället för tåg, eftersom tågresan tar mer än {collection_flight_after_train_hours} timmar."),
	"collection_taxi": tx(
		"A taxi to collect the repaired car, as the workshop is less than {collection_taxi_under_km} km away.",
		"Ein Taxi zur Abholung, da die Werkstatt weniger als {collection_taxi_under_km} km entfernt ist.",
		"Um táxi para recolher o automóvel, pois a oficina fica a menos de {collection_taxi_under_km} km.",
		"En taxa til at hente bilen, da værkstedet ligger mindre end {collection_taxi_under_km} km væk.",
		"En taxi för att hämta bilen, eftersom verkstaden ligger mindre än {collection_taxi_under_km} km bort."),
	"repatriation": tx(
		"The car is brought home from abroad, as it cannot be repaired there in time.",
		"Das Auto wird aus dem Ausland zurücktransportiert, da es dort nicht rechtzeitig repariert werden kann.",
		"O automóvel é transportado do estrangeiro para casa, pois não pode ser reparado a tempo.",
		"Bilen transporteres hjem fra udlandet, da den ikke kan repareres der i tide.",
		"Bilen transporteras hem från utlandet, eftersom den inte kan repareras där i tid."),
	"local_repair_allowance": tx(
		"Instead: repair at a local Polestar workshop and up to {local_repair_allowance} towards costs there; keep all receipts.",
		"Stattdessen: Reparatur vor Ort und bis {local_repair_allowance} für Kosten dort; alle Belege aufheben.",
		"Em alternativa: reparação numa oficina Polestar local e até {local_repair_allowance} para despesas; guarde os recibos.",
		"I stedet: reparation på et lokalt Polestar-værksted og op til {local_repair_allowance} til udgifter; gem alle kvitteringer.",
		"I stället: reparation på en lokal Polestar-verkstad och upp till {local_repair_allowance} för kostnader där; spara alla kvitton."),
	"local_rental_car": tx(
		"Instead: a rental car for local use, up to {local_rental_max_days} days.",
		"Stattdessen: ein Mietwagen zur Nutzung vor Ort, bis {local_rental_max_days} Tage.",
		"Em alternativa: automóvel de aluguer para uso local, até {local_rental_max_days} dias.",
		"I stedet: en lejebil til lokal brug i op til {local_rental_max_days} dage.",
		"I stället: en hyrbil för lokalt bruk i upp till {local_rental_max_days} dagar."),
	"local_rental_car:working": tx(
		"Instead: a rental car for local use, up to {local_rental_max_days} working days.",
		"Stattdessen: ein Mietwagen zur Nutzung vor Ort, bis {local_rental_max_days} Arbeitstage.",
		"Em alternativa: automóvel de aluguer para uso local, até {local_rental_max_days} dias úteis.",
		"I stedet: en lejebil til lokal brug i op til {local_rental_max_days} hverdage.",
		"I stället: en hyrbil för lokalt bruk i upp till {local_rental_max_days} arbetsdagar."),
}
