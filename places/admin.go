package places

// adminNames are the names of the first-level divisions of the markets, as
// written locally, by country and GeoNames admin1 code, with the seat the
// data gives for each (the test checks that the seat has that code). Other
// countries' codes have no name here.
var adminNames = map[string]map[string]struct{ Name, Seat string }{
	"GB": {
		"ENG": {"England", "London"}, "NIR": {"Northern Ireland", "Belfast"},
		"SCT": {"Scotland", "Edinburgh"}, "WLS": {"Wales", "Cardiff"},
	},
	"DE": {
		"01": {"Baden-Württemberg", "Stuttgart"}, "02": {"Bayern", "Munich"}, "03": {"Bremen", "Bremen"},
		"04": {"Hamburg", "Hamburg"}, "05": {"Hessen", "Wiesbaden"}, "06": {"Niedersachsen", "Hannover"},
		"07": {"Nordrhein-Westfalen", "Düsseldorf"}, "08": {"Rheinland-Pfalz", "Mainz"},
		"09": {"Saarland", "Saarbrücken"}, "10": {"Schleswig-Holstein", "Kiel"}, "11": {"Brandenburg", "Potsdam"},
		"12": {"Mecklenburg-Vorpommern", "Schwerin"}, "13": {"Sachsen", "Dresden"},
		"14": {"Sachsen-Anhalt", "Magdeburg"}, "15": {"Thüringen", "Erfurt"}, "16": {"Berlin", "Berlin"},
	},
	"PT": {
		"02": {"Aveiro", "Aveiro"}, "03": {"Beja", "Beja"}, "04": {"Braga", "Braga"}, "05": {"Bragança", "Bragança"},
		"06": {"Castelo Branco", "Castelo Branco"}, "07": {"Coimbra", "Coimbra"}, "08": {"Évora", "Évora"},
		"09": {"Faro", "Faro"}, "10": {"Madeira", "Funchal"}, "11": {"Guarda", "Guarda"}, "13": {"Leiria", "Leiria"},
		"14": {"Lisboa", "Lisbon"}, "16": {"Portalegre", "Portalegre"}, "17": {"Porto", "Porto"},
		"18": {"Santarém", "Santarém"}, "19": {"Setúbal", "Setúbal"}, "20": {"Viana do Castelo", "Viana do Castelo"},
		"21": {"Vila Real", "Vila Real"}, "22": {"Viseu", "Viseu"}, "23": {"Açores", "Ponta Delgada"},
	},
	"DK": {
		"17": {"Region Hovedstaden", "Hillerød"}, "18": {"Region Midtjylland", "Viborg"},
		"19": {"Region Nordjylland", "Aalborg"}, "20": {"Region Sjælland", "Sorø"},
		"21": {"Region Syddanmark", "Vejle"},
	},
	"SE": {
		"02": {"Blekinge län", "Karlskrona"}, "03": {"Gävleborgs län", "Gävle"}, "05": {"Gotlands län", "Visby"},
		"06": {"Hallands län", "Halmstad"}, "07": {"Jämtlands län", "Östersund"}, "08": {"Jönköpings län", "Jönköping"},
		"09": {"Kalmar län", "Kalmar"}, "10": {"Dalarnas län", "Falun"}, "12": {"Kronobergs län", "Växjö"},
		"14": {"Norrbottens län", "Luleå"}, "15": {"Örebro län", "Örebro"}, "16": {"Östergötlands län", "Linköping"},
		"18": {"Södermanlands län", "Nyköping"}, "21": {"Uppsala län", "Uppsala"}, "22": {"Värmlands län", "Karlstad"},
		"23": {"Västerbottens län", "Umeå"}, "24": {"Västernorrlands län", "Härnösand"},
		"25": {"Västmanlands län", "Västerås"}, "26": {"Stockholms län", "Stockholm"}, "27": {"Skåne län", "Malmö"},
		"28": {"Västra Götalands län", "Göteborg"},
	},
}

// AdminName is the local name of a market's first-level division by its
// GeoNames code ("DE", "01" is Baden-Württemberg); "" when not known.
func AdminName(country, code string) string {
	return adminNames[country][code].Name
}
