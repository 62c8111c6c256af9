package assistance

import "roadcover"

// codeLabels are the short names the text summary (--format text) shows for
// the codes of a decision: entitlements, what is never paid, what is still to
// ask, the choose-one groups and the kinds of day. The JSON keeps the codes.
var codeLabels = map[string]roadcover.Texts{
	// entitlements
	"jump_start":         tx("Jump start", "Starthilfe", "Arranque com cabos", "Starthjælp", "Starthjälp"),
	"fuel_delivery":      tx("Fuel brought to the car", "Kraftstofflieferung", "Entrega de combustível", "Levering af brændstof", "Bränsle körs ut"),
	"lock_opening":       tx("Lock opening", "Türöffnung", "Abertura da fechadura", "Oplåsning", "Upplåsning"),
	"spare_key_delivery": tx("Spare key sent", "Ersatzschlüssel-Versand", "Envio de chave suplente", "Forsendelse af reservenøgle", "Reservnyckel skickas"),
	"tyre_repair_kit":    tx("Tyre repair kit", "Reifenreparaturset", "Kit de reparação de pneus", "Dækreparationssæt", "Däckreparationssats"),
	"roadside_repair":    tx("Help on the spot", "Hilfe vor Ort", "Reparação no local", "Hjælp på stedet", "Hjälp på plats"),
	"tow":                tx("Towing", "Abschleppen", "Reboque", "Bugsering", "Bogsering"),
	"trailer_recovery":   tx("Caravan or trailer recovery", "Bergung von Wohnwagen oder Anhänger", "Recuperação de caravana ou reboque", "Bjærgning af campingvogn eller trailer", "Bärgning av husvagn eller släp"),
	"livestock_to_safety": tx("Animals to a safe place", "Tiere an einen sicheren Ort", "Animais para local seguro",
		"Dyr i sikkerhed", "Djur till säker plats"),
	"onward_travel":          tx("Travel home or onward", "Heim- oder Weiterreise", "Viagem para casa ou destino", "Rejse hjem eller videre", "Resa hem eller vidare"),
	"hotel":                  tx("Hotel", "Hotel", "Hotel", "Hotel", "Hotell"),
	"rental_car":             tx("Rental car", "Mietwagen", "Automóvel de aluguer", "Lejebil", "Hyrbil"),
	"taxi_transfer":          tx("Short taxi rides", "Kurze Taxifahrten", "Viagens curtas de táxi", "Korte taxature", "Korta taxiresor"),
	"collection_train":       tx("Train to collect the car", "Bahnfahrt zur Abholung", "Comboio para recolher o automóvel", "Tog for at hente bilen", "Tåg för att hämta bilen"),
	"collection_flight":      tx("Flight to collect the car", "Flug zur Abholung", "Voo para recolher o automóvel", "Fly for at hente bilen", "Flyg för att hämta bilen"),
	"collection_taxi":        tx("Taxi to collect the car", "Taxi zur Abholung", "Táxi para recolher o automóvel", "Taxa for at hente bilen", "Taxi för att hämta bilen"),
	"repatriation":           tx("Car brought home", "Rücktransport des Autos", "Transporte do automóvel para casa", "Hjemtransport af bilen", "Hemtransport av bilen"),
	"local_repair_allowance": tx("Local repair and allowance", "Reparatur vor Ort und Entschädigung", "Reparação local e reembolso", "Lokal reparation og godtgørelse", "Lokal reparation och ersättning"),
	"local_rental_car":       tx("Rental car for local use", "Mietwagen vor Ort", "Automóvel de aluguer local", "Lejebil til lokalt brug", "Hyrbil för lokalt bruk"),
	// tow destinations
	"tow:" + NearestWorkshop:          tx("nearest workshop", "nächstes Service Center", "oficina mais próxima", "nærmeste værksted", "närmaste verkstad"),
	"tow:" + RegularWorkshopDest:      tx("regular workshop", "gewohnte Werkstatt", "oficina habitual", "sædvanligt værksted", "vanlig verkstad"),
	"tow:" + NearestChargerOrWorkshop: tx("nearest charger or workshop", "nächste Ladestation oder Werkstatt", "carregador ou oficina mais próximos", "nærmeste ladestation eller værksted", "närmaste laddstation eller verkstad"),
	// never paid
	RepairAndParts:          tx("repair and spare parts", "Reparatur und Ersatzteile", "reparação e peças", "reparation og reservedele", "reparation och reservdelar"),
	Tyres:                   tx("tyres", "Reifen", "pneus", "dæk", "däck"),
	FuelOrEnergy:            tx("fuel or energy", "Kraftstoff oder Strom", "combustível ou energia", "brændstof eller strøm", "bränsle eller el"),
	FuelDrainAndRefill:      tx("draining and refilling fuel", "Kraftstoff ablassen und neu befüllen", "drenagem e reabastecimento", "tømning og påfyldning af brændstof", "tömning och påfyllning av bränsle"),
	PunctureConsequential:   tx("consequential damage of a puncture", "Folgeschäden einer Reifenpanne", "danos indiretos de um furo", "følgeskader efter punktering", "följdskador av punktering"),
	DowntimeAndPropertyLoss: tx("downtime and lost property", "Stillstand und Sachschäden", "paragem e perda de bens", "driftstab og tabt ejendom", "stilleståndstid och förlorad egendom"),
	VATWhenRegistered:       tx("VAT (registered for VAT)", "Umsatzsteuer (vorsteuerabzugsberechtigt)", "IVA (sujeito a IVA)", "moms (momsregistreret)", "moms (momsregistrerad)"),
	// still to ask
	"name":             tx("name", "Name", "nome", "navn", "namn"),
	"address":          tx("address", "Adresse", "morada", "adresse", "adress"),
	"registration":     tx("registration number", "Kennzeichen", "matrícula", "registreringsnummer", "registreringsnummer"),
	"vin":              tx("VIN", "Fahrgestellnummer", "VIN", "stelnummer", "chassinummer"),
	"model":            tx("model", "Modell", "modelo", "model", "modell"),
	"colour":           tx("colour", "Farbe", "cor", "farve", "färg"),
	"location":         tx("location", "Standort", "localização", "position", "plats"),
	"description":      tx("description of the problem", "Beschreibung des Problems", "descrição do problema", "beskrivelse af problemet", "beskrivning av problemet"),
	"phone_or_email":   tx("phone or e-mail", "Telefon oder E-Mail", "telefone ou e-mail", "telefon eller e-mail", "telefon eller e-post"),
	"coordinates":      tx("coordinates", "Koordinaten", "coordenadas", "koordinater", "koordinater"),
	"first_registered": tx("first registration date", "Erstzulassung", "data da primeira matrícula", "første registreringsdato", "första registreringsdag"),
	// choose-one groups
	groupFurther:      tx("choose one: further assistance", "eine wählen: weitere Hilfe", "escolher uma: assistência adicional", "vælg én: yderligere assistance", "välj en: ytterligare assistans"),
	groupCollection:   tx("choose one: collection", "eine wählen: Abholung", "escolher uma: recolha", "vælg én: afhentning", "välj en: hämtning"),
	groupRepatriation: tx("choose one: instead of repatriation", "eine wählen: statt Rücktransport", "escolher uma: em vez do transporte", "vælg én: i stedet for hjemtransport", "välj en: i stället för hemtransport"),
	// kinds of day
	"working":   tx("working days", "Arbeitstage", "dias úteis", "hverdage", "arbetsdagar"),
	"calendar":  tx("calendar days", "Kalendertage", "dias de calendário", "kalenderdage", "kalenderdagar"),
	"working1":  tx("working day", "Arbeitstag", "dia útil", "hverdag", "arbetsdag"),
	"no_rate":   tx("no exchange rate known", "kein Wechselkurs bekannt", "sem taxa de câmbio conhecida", "ingen kendt valutakurs", "ingen känd växelkurs"),
	"calendar1": tx("calendar day", "Kalendertag", "dia de calendário", "kalenderdag", "kalenderdag"),
}

// Label is the name of a decision code in l for a person to read; the code
// itself when there is none.
func Label(code string, l roadcover.Language) string {
	if t, ok := codeLabels[code]; ok {
		if s := t.In(l); s != "" {
			return s
		}
	}
	return code
}
