package claims

import "roadcover"

// Outcome is what a rule made of an act: a code and the clause it rests on
// ("" for the claims office's own controls, such as a second handler's
// approval). Its text is our own, in five languages.
type Outcome struct {
	Code   string
	Clause string
}

// Text is the outcome's short explanation in l (English when l is unknown).
func (o Outcome) Text(l roadcover.Language) string { return texts[o.Code].In(l) }

// texts holds our own words for every outcome code, in en, de, pt, da and sv.
var texts = map[string]roadcover.Texts{
	"time_barred": {
		"en": "Reported more than ten years after the loss: the claim is time-barred.",
		"de": "Mehr als zehn Jahre nach dem Schaden gemeldet: Der Anspruch ist verjährt.",
		"pt": "Participado mais de dez anos após o sinistro: o direito prescreveu.",
		"da": "Anmeldt mere end ti år efter skaden: kravet er forældet.",
		"sv": "Anmäld mer än tio år efter skadan: anspråket är preskriberat.",
	},
	"reopen_time_barred": {
		"en": "Too late: ten years from the loss and six months from the final decision have both passed.",
		"de": "Zu spät: Zehn Jahre seit dem Schaden und sechs Monate seit der endgültigen Entscheidung sind vorbei.",
		"pt": "Tarde demais: passaram dez anos desde o sinistro e seis meses desde a decisão final.",
		"da": "For sent: ti år efter skaden og seks måneder efter den endelige afgørelse er gået.",
		"sv": "För sent: tio år från skadan och sex månader från det slutliga beslutet har passerat.",
	},
	"limitation": {
		"en": "Action must be brought within ten years of the loss, or within six months of the final decision when reported in time.",
		"de": "Klage binnen zehn Jahren nach dem Schaden, oder binnen sechs Monaten nach der endgültigen Entscheidung bei rechtzeitiger Meldung.",
		"pt": "A ação deve ser proposta em dez anos após o sinistro, ou em seis meses após a decisão final se participado a tempo.",
		"da": "Sag skal anlægges inden ti år efter skaden, eller inden seks måneder efter den endelige afgørelse ved rettidig anmeldelse.",
		"sv": "Talan ska väckas inom tio år från skadan, eller inom sex månader från slutligt beslut om skadan anmälts i tid.",
	},
	"complaint_in_time": {
		"en": "Complaint to the customer ombudsman within twelve months of the decision.",
		"de": "Beschwerde beim Kundenombudsmann binnen zwölf Monaten nach der Entscheidung.",
		"pt": "Reclamação ao provedor do cliente dentro de doze meses após a decisão.",
		"da": "Klage til kundeombuddet inden tolv måneder efter afgørelsen.",
		"sv": "Klagomål till Kundombudet inom tolv månader från beslutet.",
	},
	"complaint_late": {
		"en": "Complaint received after its deadline: it is too late for this forum.",
		"de": "Beschwerde nach Fristablauf eingegangen: für diese Stelle zu spät.",
		"pt": "Reclamação recebida após o prazo: é tarde demais para esta instância.",
		"da": "Klagen er modtaget efter fristen: det er for sent for dette organ.",
		"sv": "Klagomålet kom in efter fristen: det är för sent för denna instans.",
	},
	"review_requested": {
		"en": "A new review of the decision by the insurer.",
		"de": "Eine erneute Prüfung der Entscheidung durch den Versicherer.",
		"pt": "Uma nova apreciação da decisão pela seguradora.",
		"da": "En ny prøvelse af afgørelsen hos forsikringsselskabet.",
		"sv": "En ny prövning av beslutet hos försäkringsbolaget.",
	},
	"external_forum": {
		"en": "Taken to a board or court outside the insurer; its own rules set any deadline.",
		"de": "Bei einer Stelle oder einem Gericht außerhalb des Versicherers; deren eigene Regeln setzen Fristen.",
		"pt": "Levado a uma comissão ou tribunal fora da seguradora; as suas regras fixam os prazos.",
		"da": "Indbragt for et nævn eller en domstol uden for selskabet; deres egne regler sætter frister.",
		"sv": "Förd till en nämnd eller domstol utanför bolaget; dess egna regler sätter frister.",
	},
	"pfn_in_time": {
		"en": "Application to the personal insurance board within one year of the complaint to the insurer.",
		"de": "Antrag beim Personenversicherungsausschuss binnen eines Jahres nach der Beschwerde beim Versicherer.",
		"pt": "Pedido à comissão de seguros pessoais dentro de um ano após a reclamação à seguradora.",
		"da": "Ansøgning til personforsikringsnævnet inden et år efter klagen til selskabet.",
		"sv": "Ansökan till Personförsäkringsnämnden inom ett år från klagomålet till bolaget.",
	},
	"valuation_fee_insurer": {
		"en": "The valuer found a higher value: the insurer bears the whole fee.",
		"de": "Der Gutachter fand einen höheren Wert: Der Versicherer trägt die ganze Gebühr.",
		"pt": "O avaliador apurou um valor superior: a seguradora suporta todo o honorário.",
		"da": "Vurderingsmanden fandt en højere værdi: selskabet betaler hele honoraret.",
		"sv": "Värderingspersonen kom fram till ett högre värde: bolaget betalar hela kostnaden.",
	},
	"valuation_fee_policyholder": {
		"en": "The valuer found no higher value: the policyholder bears 1 500 kr of the fee.",
		"de": "Der Gutachter fand keinen höheren Wert: Der Versicherungsnehmer trägt 1 500 kr der Gebühr.",
		"pt": "O avaliador não apurou valor superior: o tomador suporta 1 500 kr do honorário.",
		"da": "Vurderingsmanden fandt ingen højere værdi: forsikringstageren betaler 1 500 kr af honoraret.",
		"sv": "Värderingspersonen kom inte fram till ett högre värde: försäkringstagaren betalar 1 500 kr.",
	},
	"valuation_not_paid_again": {
		"en": "Only one valuation is paid: the policyholder bears this one in full.",
		"de": "Nur ein Gutachten wird bezahlt: Dieses trägt der Versicherungsnehmer ganz.",
		"pt": "Só é paga uma avaliação: esta fica inteiramente a cargo do tomador.",
		"da": "Kun én vurdering betales: denne betaler forsikringstageren selv.",
		"sv": "Bara en värdering ersätts: denna betalar försäkringstagaren helt.",
	},
	"valuation_value_applied": {
		"en": "The valuer's higher value replaces the insurer's in the settlement.",
		"de": "Der höhere Wert des Gutachters ersetzt den des Versicherers in der Regulierung.",
		"pt": "O valor superior do avaliador substitui o da seguradora na regularização.",
		"da": "Vurderingsmandens højere værdi erstatter selskabets i opgørelsen.",
		"sv": "Värderingspersonens högre värde ersätter bolagets i skaderegleringen.",
	},
	"double_insurance": {
		"en": "Insured elsewhere too: together no more than the loss is paid.",
		"de": "Auch anderswo versichert: Zusammen wird nicht mehr als der Schaden gezahlt.",
		"pt": "Também seguro noutra seguradora: no total não se paga mais do que o dano.",
		"da": "Også forsikret andetsteds: samlet betales ikke mere end skaden.",
		"sv": "Försäkrad även på annat håll: sammanlagt ersätts högst skadekostnaden.",
	},
	"advance_payment": {
		"en": "An advance while the claim is still being investigated.",
		"de": "Ein Vorschuss, solange der Schaden noch geprüft wird.",
		"pt": "Um adiantamento enquanto o sinistro ainda é investigado.",
		"da": "Et forskud, mens skaden stadig undersøges.",
		"sv": "Förskott medan utredningen av skadan pågår.",
	},
	"indemnity_payment": {
		"en": "Payment of the settled compensation.",
		"de": "Zahlung der festgestellten Entschädigung.",
		"pt": "Pagamento da indemnização apurada.",
		"da": "Udbetaling af den opgjorte erstatning.",
		"sv": "Utbetalning av fastställd ersättning.",
	},
	"valuation_fee_payment": {
		"en": "Payment of the valuer's fee.",
		"de": "Zahlung der Gebühr des Gutachters.",
		"pt": "Pagamento do honorário do avaliador.",
		"da": "Betaling af vurderingsmandens honorar.",
		"sv": "Betalning av värderingspersonens arvode.",
	},
	"awaiting_approval": {
		"en": "Above the handler's payment limit: it waits for a second handler's approval.",
		"de": "Über dem Zahlungslimit des Bearbeiters: wartet auf die Freigabe eines zweiten Bearbeiters.",
		"pt": "Acima do limite do gestor: aguarda a aprovação de um segundo gestor.",
		"da": "Over sagsbehandlerens betalingsgrænse: afventer godkendelse af en anden sagsbehandler.",
		"sv": "Över handläggarens beloppsgräns: väntar på godkännande av en andra handläggare.",
	},
	"released": {
		"en": "Released for payment.",
		"de": "Zur Zahlung freigegeben.",
		"pt": "Libertado para pagamento.",
		"da": "Frigivet til betaling.",
		"sv": "Frisläppt för utbetalning.",
	},
	"recovery_third_party": {
		"en": "Claimed back from the liable party, up to what was paid.",
		"de": "Vom Haftenden zurückgefordert, bis zur Höhe des Gezahlten.",
		"pt": "Reclamado ao responsável, até ao montante pago.",
		"da": "Krævet tilbage fra den ansvarlige, op til det udbetalte.",
		"sv": "Återkrävt från den ansvarige, upp till det som betalats.",
	},
	"recovery_traffic_vat": {
		"en": "VAT paid with traffic compensation is claimed back.",
		"de": "Mit der Kfz-Haftpflichtentschädigung gezahlte Mehrwertsteuer wird zurückgefordert.",
		"pt": "O IVA pago com a indemnização de responsabilidade civil é reclamado.",
		"da": "Moms betalt med trafikskadeerstatning kræves tilbage.",
		"sv": "Moms som betalats med trafikskadeersättning återkrävs.",
	},
	"possible_duplicate": {
		"en": "Another claim for the same car and day touches the same covers: a person checks it before anything is paid.",
		"de": "Ein weiterer Schaden desselben Autos am selben Tag betrifft dieselben Deckungen: Vor jeder Zahlung prüft ihn ein Mensch.",
		"pt": "Outro sinistro do mesmo carro no mesmo dia toca as mesmas coberturas: uma pessoa verifica antes de qualquer pagamento.",
		"da": "En anden skade på samme bil samme dag berører samme dækninger: et menneske ser på den, før der betales.",
		"sv": "En annan skada på samma bil samma dag rör samma moment: en person granskar innan något betalas.",
	},
	"loss_on_first_day": {
		"en": "The loss happened on the first day of cover, which began at the hour of signing: a person checks the hour.",
		"de": "Der Schaden geschah am ersten Tag, dessen Schutz zur Uhrzeit der Unterschrift begann: Ein Mensch prüft die Uhrzeit.",
		"pt": "O sinistro ocorreu no primeiro dia, cuja cobertura começou à hora da subscrição: uma pessoa verifica a hora.",
		"da": "Skaden skete på den første dag, hvor dækningen begyndte ved tegningen: et menneske kontrollerer klokkeslættet.",
		"sv": "Skadan inträffade första dagen, då skyddet började vid klockslaget för tecknandet: en person kontrollerar tiden.",
	},
}
