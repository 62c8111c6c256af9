package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
)

// This file holds the holidays of covered countries that cal/v2 v2.1.13
// lacks. Names are in the country's language. Each list is tested against
// the official lists of several years in own_test.go.

// portugal: mandatory holidays of the Código do Trabalho, art. 234. Corpus
// Christi, 5 October, 1 November and 1 December were suspended for
// 2013–2015 (Lei 23/2012) and restored from 2016 (Lei 8/2016). Carnival
// (Tuesday before Ash Wednesday) is an optional holiday (art. 235), decided
// each year by the government for its own staff and by employers or
// collective agreements for others: listed, counted as a working day.
// Municipal holidays are regional and not included.
var portugal = []*cal.Holiday{
	fixed("Ano Novo", time.January, 1),
	opt(easter("Carnaval", -47)),
	easter("Sexta-feira Santa", -2),
	easter("Domingo de Páscoa", 0),
	fixed("Dia da Liberdade", time.April, 25),
	fixed("Dia do Trabalhador", time.May, 1),
	years(easter("Corpo de Deus", 60), 0, 0, 2013, 2014, 2015),
	fixed("Dia de Portugal, de Camões e das Comunidades Portuguesas", time.June, 10),
	fixed("Assunção de Nossa Senhora", time.August, 15),
	years(fixed("Implantação da República", time.October, 5), 0, 0, 2013, 2014, 2015),
	years(fixed("Dia de Todos os Santos", time.November, 1), 0, 0, 2013, 2014, 2015),
	years(fixed("Restauração da Independência", time.December, 1), 0, 0, 2013, 2014, 2015),
	fixed("Imaculada Conceição", time.December, 8),
	fixed("Natal", time.December, 25),
}

// finland: the Finnish public holidays. Midsummer Day is the Saturday
// between 20 and 26 June, All Saints' Day the Saturday between 31 October
// and 6 November. Midsummer Eve and Christmas Eve are customary days off,
// not public holidays: optional.
var finland = []*cal.Holiday{
	fixed("Uudenvuodenpäivä", time.January, 1),
	fixed("Loppiainen", time.January, 6),
	easter("Pitkäperjantai", -2),
	easter("Pääsiäispäivä", 0),
	easter("2. pääsiäispäivä", 1),
	fixed("Vappu", time.May, 1),
	easter("Helatorstai", 39),
	easter("Helluntaipäivä", 49),
	opt(onOrAfter("Juhannusaatto", time.June, 19, time.Friday)),
	onOrAfter("Juhannuspäivä", time.June, 20, time.Saturday),
	onOrAfter("Pyhäinpäivä", time.October, 31, time.Saturday),
	fixed("Itsenäisyyspäivä", time.December, 6),
	opt(fixed("Jouluaatto", time.December, 24)),
	fixed("Joulupäivä", time.December, 25),
	fixed("Tapaninpäivä", time.December, 26),
}

// alandAutonomyDay is Åland's own public holiday (9 June).
var alandAutonomyDay = fixed("Självstyrelsedagen", time.June, 9)

// estonia: the days off of the Public Holidays and Days of National
// Importance Act (Pühade ja tähtpäevade seadus).
var estonia = []*cal.Holiday{
	fixed("Uusaasta", time.January, 1),
	fixed("Iseseisvuspäev", time.February, 24),
	easter("Suur reede", -2),
	easter("Ülestõusmispühade 1. püha", 0),
	fixed("Kevadpüha", time.May, 1),
	easter("Nelipühade 1. püha", 49),
	fixed("Võidupüha", time.June, 23),
	fixed("Jaanipäev", time.June, 24),
	fixed("Taasiseseisvumispäev", time.August, 20),
	fixed("Jõululaupäev", time.December, 24),
	fixed("Esimene jõulupüha", time.December, 25),
	fixed("Teine jõulupüha", time.December, 26),
}

// luxembourg: the legal public holidays; Europe Day (9 May) since 2019. A
// holiday on a Sunday gives each employee a compensatory day to be taken
// later, not a common day off, so no substitute day is listed.
var luxembourg = []*cal.Holiday{
	fixed("Jour de l'an", time.January, 1),
	easter("Lundi de Pâques", 1),
	fixed("Fête du Travail", time.May, 1),
	years(fixed("Journée de l'Europe", time.May, 9), 2019, 0),
	easter("Ascension", 39),
	easter("Lundi de Pentecôte", 50),
	fixed("Fête nationale", time.June, 23),
	fixed("Assomption", time.August, 15),
	fixed("Toussaint", time.November, 1),
	fixed("Noël", time.December, 25),
	fixed("Saint-Étienne", time.December, 26),
}

// iceland: the Icelandic public holidays. The First Day of Summer is the
// first Thursday after 18 April, Commerce Day the first Monday of August.
// Christmas Eve and New Year's Eve are holidays from 13:00 only: a working
// morning, so optional here.
var iceland = []*cal.Holiday{
	fixed("Nýársdagur", time.January, 1),
	easter("Skírdagur", -3),
	easter("Föstudagurinn langi", -2),
	easter("Páskadagur", 0),
	easter("Annar í páskum", 1),
	onOrAfter("Sumardagurinn fyrsti", time.April, 19, time.Thursday),
	fixed("Verkalýðsdagurinn", time.May, 1),
	easter("Uppstigningardagur", 39),
	easter("Hvítasunnudagur", 49),
	easter("Annar í hvítasunnu", 50),
	fixed("Þjóðhátíðardagurinn", time.June, 17),
	{Name: "Frídagur verslunarmanna", Type: cal.ObservancePublic, Month: time.August, Weekday: time.Monday, Offset: 1, Func: cal.CalcWeekdayOffset},
	opt(fixed("Aðfangadagur jóla (frá kl. 13)", time.December, 24)),
	fixed("Jóladagur", time.December, 25),
	fixed("Annar í jólum", time.December, 26),
	opt(fixed("Gamlársdagur (frá kl. 13)", time.December, 31)),
}

// malta: the national and public holidays of Malta. A holiday on a weekend
// is not moved.
var malta = []*cal.Holiday{
	fixed("New Year's Day", time.January, 1),
	fixed("Feast of St Paul's Shipwreck", time.February, 10),
	fixed("Feast of St Joseph", time.March, 19),
	fixed("Freedom Day", time.March, 31),
	easter("Good Friday", -2),
	fixed("Workers' Day", time.May, 1),
	fixed("Sette Giugno", time.June, 7),
	fixed("Feast of St Peter and St Paul (L-Imnarja)", time.June, 29),
	fixed("Feast of the Assumption", time.August, 15),
	fixed("Victory Day", time.September, 8),
	fixed("Independence Day", time.September, 21),
	fixed("Feast of the Immaculate Conception", time.December, 8),
	fixed("Republic Day", time.December, 13),
	fixed("Christmas Day", time.December, 25),
}

// cyprus: the public holidays of the Republic of Cyprus; the movable ones
// follow Orthodox Easter. Easter Tuesday and Christmas Eve are holidays of
// the public service and the banks only: optional here.
var cyprus = []*cal.Holiday{
	fixed("Πρωτοχρονιά", time.January, 1),
	fixed("Θεοφάνια", time.January, 6),
	orthodox("Καθαρά Δευτέρα", -48),
	fixed("Ευαγγελισμός της Θεοτόκου / Εθνική Επέτειος", time.March, 25),
	fixed("Εθνική Επέτειος 1ης Απριλίου", time.April, 1),
	orthodox("Μεγάλη Παρασκευή", -2),
	orthodox("Κυριακή του Πάσχα", 0),
	orthodox("Δευτέρα του Πάσχα", 1),
	opt(orthodox("Τρίτη του Πάσχα", 2)),
	fixed("Πρωτομαγιά", time.May, 1),
	orthodox("Αγίου Πνεύματος (Κατακλυσμός)", 50),
	fixed("Κοίμηση της Θεοτόκου", time.August, 15),
	fixed("Ημέρα της Κυπριακής Ανεξαρτησίας", time.October, 1),
	fixed("Επέτειος του Όχι", time.October, 28),
	opt(fixed("Παραμονή Χριστουγέννων", time.December, 24)),
	fixed("Χριστούγεννα", time.December, 25),
	fixed("Δεύτερη μέρα Χριστουγέννων", time.December, 26),
}
