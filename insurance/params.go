package insurance

import (
	"fmt"
	"sync"

	"roadcover"
	"roadcover/terms"
)

// pid names one number of the parameter table of a terms version. The
// engine reads parameters through state.pv, which records each one read so
// that the settlement can list them with their clauses.
type pid uint8

// The parameters the engine reads, in the order the settlement lists them.
const (
	pCrimePBBPercent pid = iota
	pYouthDeductible
	pYouthBelowAge
	pPrivateCapPBBPercent
	pPremiumFreeBonusClass
	pPremiumFreeClaimFreeYears
	pFireFreeBelowAge
	pGlassRepair
	pGlassRepairDealer
	pTheftNegligencePercent
	pTheftNegligenceMin
	pTheftWheelNuts
	pTheftDetachedPercent
	pTheftLossDays
	pTherapySessions
	pTherapySessionCap
	pTherapyTotalCap
	pTherapyMonths
	pWheelsCapPBBPercent
	pWheelsCapOverAge
	pTyrePercent
	pTyreMax
	pRimPercent
	pRimFreeYears
	pRimMax
	pMachineryBelowAge
	pMachineryMaxKm
	pBandKm1
	pBandDeductible1
	pBandKm2
	pBandDeductible2
	pBandKm3
	pBandDeductible3
	pBandKm4
	pBandDeductible4
	pMachineryMissedPercent
	pMachineryMissedMax
	pLegalMaxHours
	pLegalInvestigationCap
	pLegalWitnessCap
	pLegalDisputeCap
	pLegalDeductiblePercent
	pLegalDeductibleMin
	pCollisionYoungAddition
	pCollisionYoungBelowAge
	pCollisionTyreDefect
	pLayupGarageAddition
	pRentalSwedenPercent
	pRentalSwedenMaxDays
	pRentalAbroadPercent
	pRentalAbroadMaxDays
	pRentalAbroadMinRepairDays
	pRentalTransitDays
	pRentalCashPerDay
	pRentalNotRepairedDays
	pAnimalClothesCap
	pVandalismRetained
	pVandalismNoCollisionCap
	pCollisionAbroadMaxModelAge
	pInteriorCap
	pInteriorDeductible
	pInteriorMaxAge
	pInteriorNoCollisionCap
	pKeyCap
	pKeyDeductible
	pPlusReduction
	pCareMinAge
	pCareYears
	pBreachPercent
	pIcePercent
	pFalseInfoPercent
	pFalseInfoMin
	pVATCountedPercent
	pNewCarWithinYears
	pNewCarMaxKm
	pNewCarRepairPercent
	pTimeBarYears
	pAutoCollisionDeductible
	pWarrantyYears
	nParams
)

// paramNames are the names of the parameters in the version file.
var paramNames = [nParams]string{
	"crime_deductible_pbb_percent",
	"youth_deductible",
	"youth_age_below",
	"private_cap_pbb_percent",
	"premium_free_bonus_class",
	"premium_free_claim_free_years",
	"fire_free_below_age",
	"glass_repair_deductible",
	"glass_repair_dealer_deductible",
	"theft_negligence_percent",
	"theft_negligence_min",
	"theft_wheel_nuts_addition",
	"theft_detached_unlocked_percent",
	"theft_loss_after_days",
	"therapy_max_sessions",
	"therapy_session_cap",
	"therapy_total_cap",
	"therapy_months",
	"wheels_cap_pbb_percent",
	"wheels_cap_over_age",
	"tyre_depreciation_percent",
	"tyre_depreciation_max",
	"rim_depreciation_percent",
	"rim_depreciation_free_years",
	"rim_depreciation_max",
	"machinery_below_age",
	"machinery_max_km",
	"machinery_band1_km",
	"machinery_band1_deductible",
	"machinery_band2_km",
	"machinery_band2_deductible",
	"machinery_band3_km",
	"machinery_band3_deductible",
	"machinery_band4_km",
	"machinery_band4_deductible",
	"machinery_missed_service_percent",
	"machinery_missed_services_max",
	"legal_max_hours",
	"legal_investigation_cap",
	"legal_witness_cap",
	"legal_dispute_cap",
	"legal_deductible_percent",
	"legal_deductible_min",
	"collision_young_driver_addition",
	"collision_young_below_age",
	"collision_tyre_defect_addition",
	"layup_garage_addition",
	"rental_sweden_percent",
	"rental_sweden_max_days",
	"rental_abroad_percent",
	"rental_abroad_max_days",
	"rental_abroad_min_repair_days",
	"rental_transit_days_each_way",
	"rental_cash_per_day",
	"rental_not_repaired_days",
	"animal_clothes_cap",
	"vandalism_retained",
	"vandalism_no_collision_cap",
	"collision_abroad_max_model_age",
	"interior_cap",
	"interior_deductible",
	"interior_max_age",
	"interior_no_collision_cap",
	"key_cap",
	"key_deductible",
	"plus_reduction",
	"care_min_age",
	"care_years",
	"breach_percent",
	"ice_percent",
	"false_info_percent",
	"false_info_min",
	"vat_counted_percent",
	"new_car_within_years",
	"new_car_max_km",
	"new_car_repair_percent",
	"time_bar_years",
	"auto_collision_deductible",
	"warranty_years",
}

var (
	pBandKm         = [4]pid{pBandKm1, pBandKm2, pBandKm3, pBandKm4}
	pBandDeductible = [4]pid{pBandDeductible1, pBandDeductible2, pBandDeductible3, pBandDeductible4}
)

// params are the numbers of one terms version, resolved once per version:
// values by pid, with the unit and clause each is tagged with, and the dated
// tables the engine reads.
type params struct {
	v      [nParams]int64
	unit   [nParams]string
	clause [nParams]string

	greenCard map[string][]span // 1.1: member rows by country
	pbb       map[int]int64     // price base amount by calendar year
	norm      *terms.Table      // 2.7: the courts' hourly cost norm, dated

	uses     [nParams]ParamUse       // each parameter as a settlement lists it
	readings [rdCount]*terms.Reading // the engine's readings, nil when the version lacks one
}

// span is one dated row of a table: from its first day until (not
// including) until; an open end is the zero Date.
type span struct{ from, until roadcover.Date }

// inArea reports whether a country is in the Green Card area on a day (1.1).
func (p *params) inArea(country string, day roadcover.Date) bool {
	for _, s := range p.greenCard[country] {
		if !day.Before(s.from) && (s.until.IsZero() || day.Before(s.until)) {
			return true
		}
	}
	return false
}

var paramCache sync.Map // *terms.Version -> *params

// paramsOf reads the parameter table of v once; a missing parameter is an
// error of the version file, not of the claim.
func paramsOf(v *terms.Version) (*params, error) {
	if p, ok := paramCache.Load(v); ok {
		return p.(*params), nil
	}
	p := &params{}
	for i, name := range paramNames {
		x, ok := v.Param(name)
		if !ok {
			return nil, fmt.Errorf("insurance: %s has no parameter %s", v.ID, name)
		}
		p.v[i], p.unit[i], p.clause[i] = x.Value, x.Unit, x.Clause
		p.uses[i] = ParamUse{Name: name, Value: x.Value, Unit: x.Unit, Clause: x.Clause}
	}
	for r, id := range readingIDs {
		p.readings[r], _ = v.Reading(id)
	}
	p.greenCard = map[string][]span{}
	if t, ok := v.Table("green_card_area"); ok {
		for _, r := range t.Rows {
			var sp span
			sp.from, _ = roadcover.ParseDate(r.From)
			if r.Until != "" {
				sp.until, _ = roadcover.ParseDate(r.Until)
			}
			p.greenCard[r.Key] = append(p.greenCard[r.Key], sp)
		}
	}
	p.pbb = map[int]int64{}
	if t, ok := v.Table("price_base_amount"); ok {
		for y := 1900; y < 2200; y++ {
			if row, ok := t.At("", roadcover.Date{Year: y, Month: 7, Day: 1}); ok {
				p.pbb[y] = row.Value
			}
		}
	}
	if t, ok := v.Table("hourly_cost_norm"); ok {
		p.norm = t
	}
	paramCache.Store(v, p)
	return p, nil
}
