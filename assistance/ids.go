package assistance

import "strings"

// The ids of the parameters, readings and texts the rules use. Each version
// resolves them once (compiled.go), so that a decision reads them from arrays.

// pid names a parameter of the terms versions; the engine reads parameters
// by id from a table resolved once per version.
type pid uint8

const (
	pCoastToleranceKm pid = iota
	pCollectionFlightAfterTrainHours
	pCollectionPersons
	pCollectionTaxiUnderKm
	pCommercialMaxAgeMonths
	pFurtherOptions
	pHotelMaxNights
	pHotelPerPersonNight
	pLocalRentalMaxDays
	pLocalRepairAllowance
	pOnwardTravelPerPerson
	pRegularWorkshopMaxKm
	pRentalAbroadMaxDays
	pRentalAfterAccidentDays
	pRentalMaxDays
	pRepatriationAlternatives
	pRepatriationHomeboundHours
	pRepatriationOutboundWorkingDays
	pReportWithinHours
	pRussiaRadiusKm
	pSameDayHours
	pTaxiTransferLimit
	pTaxiTransferMaxKm
	pThresholdM
	pHotelMinHomeKm
	pHotelMinHomeMi
	pCollectionMinKm
	pCollectionMinMi
	pTowHomeMaxKm
	pTowHomeMaxMi
	pRegularWorkshopMaxMi
	pTowRegularMaxKm
	pTowRegularMaxMi
	pCountryMismatchKm
	pRussiaRingMoscowKm
	pRussiaRingSaintPetersburgKm
	pRussiaRingRostovOnDonKm
	pRussiaRingTogliattiKm
	pRussiaRingPermKm
	numParams
)

var paramNames = [numParams]string{
	pCoastToleranceKm:                "coast_tolerance_km",
	pCollectionFlightAfterTrainHours: "collection_flight_after_train_hours",
	pCollectionPersons:               "collection_persons",
	pCollectionTaxiUnderKm:           "collection_taxi_under_km",
	pCommercialMaxAgeMonths:          "commercial_max_age_months",
	pFurtherOptions:                  "further_options",
	pHotelMaxNights:                  "hotel_max_nights",
	pHotelPerPersonNight:             "hotel_per_person_night",
	pLocalRentalMaxDays:              "local_rental_max_days",
	pLocalRepairAllowance:            "local_repair_allowance",
	pOnwardTravelPerPerson:           "onward_travel_per_person",
	pRegularWorkshopMaxKm:            "regular_workshop_max_km",
	pRentalAbroadMaxDays:             "rental_abroad_max_days",
	pRentalAfterAccidentDays:         "rental_after_accident_days",
	pRentalMaxDays:                   "rental_max_days",
	pRepatriationAlternatives:        "repatriation_alternatives",
	pRepatriationHomeboundHours:      "repatriation_homebound_hours",
	pRepatriationOutboundWorkingDays: "repatriation_outbound_working_days",
	pReportWithinHours:               "report_within_hours",
	pRussiaRadiusKm:                  "russia_radius_km",
	pSameDayHours:                    "same_day_hours",
	pTaxiTransferLimit:               "taxi_transfer_limit",
	pTaxiTransferMaxKm:               "taxi_transfer_max_km",
	pThresholdM:                      "threshold_m",
	pHotelMinHomeKm:                  "hotel_min_home_km",
	pHotelMinHomeMi:                  "hotel_min_home_mi",
	pCollectionMinKm:                 "collection_min_km",
	pCollectionMinMi:                 "collection_min_mi",
	pTowHomeMaxKm:                    "tow_home_max_km",
	pTowHomeMaxMi:                    "tow_home_max_mi",
	pRegularWorkshopMaxMi:            "regular_workshop_max_mi",
	pTowRegularMaxKm:                 "tow_regular_max_km",
	pTowRegularMaxMi:                 "tow_regular_max_mi",
	pCountryMismatchKm:               "country_mismatch_km",
	pRussiaRingMoscowKm:              "russia_ring_moscow_km",
	pRussiaRingSaintPetersburgKm:     "russia_ring_saint_petersburg_km",
	pRussiaRingRostovOnDonKm:         "russia_ring_rostov_on_don_km",
	pRussiaRingTogliattiKm:           "russia_ring_togliatti_km",
	pRussiaRingPermKm:                "russia_ring_perm_km",
}

// rid names a reading (interpretation) of the terms versions.
type rid uint8

const (
	rCoast rid = iota
	rCollectionAfterWorkshop
	rCollectionGap
	rCommercialFootnote
	rCrimea
	rCrownDependencies
	rCyprus
	rDanishRealm
	rDeTowInclusive
	rEmergencyVehicles
	rGbBattery
	rGbFuel
	rGbInForce
	rGbRentalOneDay
	rGbSpareKey
	rGbTowAbroad
	rGeneralPart
	rKmGovern
	rLocalCurrency
	rMilesGovern
	rNationalHolidays
	rReport24h
	rRoadsideDefault
	rRussia200km
	rRussiaRings
	rTaxiTransfer
	rTerritories
	rTheftFurther
	rTheftNoRepatriation
	rTractionDestination
	rTractionNoFurther
	rTripAbroadDefault
	rWholeMonths
	numReadings
)

var readingNames = [numReadings]string{
	rCoast:                   "coast",
	rCollectionAfterWorkshop: "collection_after_workshop",
	rCollectionGap:           "collection_gap",
	rCommercialFootnote:      "commercial_footnote",
	rCrimea:                  "crimea",
	rCrownDependencies:       "crown_dependencies",
	rCyprus:                  "cyprus",
	rDanishRealm:             "danish_realm",
	rDeTowInclusive:          "de_tow_inclusive",
	rEmergencyVehicles:       "emergency_vehicles",
	rGbBattery:               "gb_battery",
	rGbFuel:                  "gb_fuel",
	rGbInForce:               "gb_in_force",
	rGbRentalOneDay:          "gb_rental_one_day",
	rGbSpareKey:              "gb_spare_key",
	rGbTowAbroad:             "gb_tow_abroad",
	rGeneralPart:             "general_part",
	rKmGovern:                "km_govern",
	rLocalCurrency:           "local_currency",
	rMilesGovern:             "miles_govern",
	rNationalHolidays:        "national_holidays",
	rReport24h:               "report_24h",
	rRoadsideDefault:         "roadside_default",
	rRussia200km:             "russia_200km",
	rRussiaRings:             "russia_rings",
	rTaxiTransfer:            "taxi_transfer",
	rTerritories:             "territories",
	rTheftFurther:            "theft_further",
	rTheftNoRepatriation:     "theft_no_repatriation",
	rTractionDestination:     "traction_destination",
	rTractionNoFurther:       "traction_no_further",
	rTripAbroadDefault:       "trip_abroad_default",
	rWholeMonths:             "whole_months",
}

// tid names an outcome (refusal or entitlement) together with the text that
// explains it; textKeys are the keys of templates, codes the outcome codes.
type tid uint8

const (
	tNotArranged tid = iota
	tReportedLate
	tDeregistered
	tOutsideArea
	tLackOfMaintenance
	tCompetition
	tDeliberateOffence
	tForceMajeure
	tOtherWarrantyOrLiability
	tEmergencyVehicle
	tNotImmobilised
	tCommercialTooOld
	tLocationUnverified
	tLocationUnknown
	tJumpStart
	tFuelDelivery
	tLockOpening
	tSpareKeyDelivery
	tTyreRepairKit
	tRoadsideRepair
	tTowNearest
	tTowRegular
	tTowCharger
	tTrailerRecovery
	tLivestockToSafety
	tOnwardTravel
	tHotel
	tRentalCar
	tRentalCarAbroad
	tRentalCarOneDay
	tTaxiTransfer
	tCollectionTrain
	tCollectionFlight
	tCollectionTaxi
	tRepatriation
	tLocalRepairAllowance
	tLocalRentalCar
	tLocalRentalCarWorking
	numTexts
)

var textKeys = [numTexts]string{
	tNotArranged:              NotArranged,
	tReportedLate:             ReportedLate,
	tDeregistered:             Deregistered,
	tOutsideArea:              OutsideArea,
	tLackOfMaintenance:        LackOfMaintenance,
	tCompetition:              "competition",
	tDeliberateOffence:        "deliberate_offence",
	tForceMajeure:             "force_majeure",
	tOtherWarrantyOrLiability: "other_warranty_or_liability",
	tEmergencyVehicle:         EmergencyVehicle,
	tNotImmobilised:           NotImmobilised,
	tCommercialTooOld:         CommercialTooOld,
	tLocationUnverified:       LocationUnverified,
	tLocationUnknown:          LocationUnverified + ":unknown",
	tJumpStart:                "jump_start",
	tFuelDelivery:             "fuel_delivery",
	tLockOpening:              "lock_opening",
	tSpareKeyDelivery:         "spare_key_delivery",
	tTyreRepairKit:            "tyre_repair_kit",
	tRoadsideRepair:           "roadside_repair",
	tTowNearest:               "tow:" + NearestWorkshop,
	tTowRegular:               "tow:" + RegularWorkshopDest,
	tTowCharger:               "tow:" + NearestChargerOrWorkshop,
	tTrailerRecovery:          "trailer_recovery",
	tLivestockToSafety:        "livestock_to_safety",
	tOnwardTravel:             "onward_travel",
	tHotel:                    "hotel",
	tRentalCar:                "rental_car",
	tRentalCarAbroad:          "rental_car:abroad",
	tRentalCarOneDay:          "rental_car:one_day",
	tTaxiTransfer:             "taxi_transfer",
	tCollectionTrain:          "collection_train",
	tCollectionFlight:         "collection_flight",
	tCollectionTaxi:           "collection_taxi",
	tRepatriation:             "repatriation",
	tLocalRepairAllowance:     "local_repair_allowance",
	tLocalRentalCar:           "local_rental_car",
	tLocalRentalCarWorking:    "local_rental_car:working",
}

// outcomeCodes are the outcome codes of the text ids: the key up to a colon.
var outcomeCodes = func() (c [numTexts]string) {
	for i, k := range textKeys {
		if j := strings.IndexByte(k, ':'); j >= 0 {
			k = k[:j]
		}
		c[i] = k
	}
	return c
}()

// textVariants are the text ids' variants: the key after a colon ("" for
// the plain text of a code).
var textVariants = func() (v [numTexts]string) {
	for i, k := range textKeys {
		if j := strings.IndexByte(k, ':'); j >= 0 {
			v[i] = k[j+1:]
		}
	}
	return v
}()
