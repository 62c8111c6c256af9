package insurance

import (
	"fmt"
	"sync"

	"roadcover"
	"roadcover/terms"
)

// params are the numbers of one terms version, read once from its parameter
// table (each tagged with its clause there).
type params struct {
	CrimePBBPercent, YouthDeductible, YouthBelowAge, PrivateCapPBBPercent   int64
	PremiumFreeBonusClass, PremiumFreeClaimFreeYears                        int64
	FireFreeBelowAge                                                        int64
	GlassRepair, GlassRepairDealer                                          int64
	TheftNegligencePercent, TheftNegligenceMin, TheftWheelNuts              int64
	TheftDetachedPercent, TheftLossDays                                     int64
	TherapySessions, TherapySessionCap, TherapyTotalCap, TherapyMonths      int64
	WheelsCapPBBPercent, WheelsCapOverAge                                   int64
	TyrePercent, TyreMax, RimPercent, RimFreeYears, RimMax                  int64
	MachineryBelowAge, MachineryMaxKm                                       int64
	BandKm, BandDeductible                                                  [4]int64
	MachineryMissedPercent, MachineryMissedMax                              int64
	LegalMaxHours, LegalInvestigationCap, LegalWitnessCap, LegalDisputeCap  int64
	LegalDeductiblePercent, LegalDeductibleMin                              int64
	CollisionYoungAddition, CollisionYoungBelowAge, CollisionTyreDefect     int64
	LayupGarageAddition                                                     int64
	RentalSwedenPercent, RentalSwedenMaxDays, RentalAbroadPercent           int64
	RentalAbroadMaxDays, RentalAbroadMinRepairDays, RentalTransitDays       int64
	RentalCashPerDay, RentalNotRepairedDays                                 int64
	AnimalClothesCap, VandalismRetained, VandalismNoCollisionCap            int64
	CollisionAbroadMaxModelAge                                              int64
	InteriorCap, InteriorDeductible, InteriorMaxAge, InteriorNoCollisionCap int64
	KeyCap, KeyDeductible, PlusReduction                                    int64
	CareMinAge, CareYears                                                   int64
	BreachPercent, IcePercent, FalseInfoPercent, FalseInfoMin               int64
	VATCountedPercent, NewCarWithinYears, NewCarMaxKm, NewCarRepairPercent  int64
	TimeBarYears, AutoCollisionDeductible, WarrantyYears                    int64

	greenCard map[string][]span // 1.1: member rows by country
	pbb       map[int]int64     // price base amount by calendar year
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

func (p *params) fields() map[string]*int64 {
	return map[string]*int64{
		"crime_deductible_pbb_percent": &p.CrimePBBPercent, "youth_deductible": &p.YouthDeductible,
		"youth_age_below": &p.YouthBelowAge, "private_cap_pbb_percent": &p.PrivateCapPBBPercent,
		"premium_free_bonus_class": &p.PremiumFreeBonusClass, "premium_free_claim_free_years": &p.PremiumFreeClaimFreeYears,
		"fire_free_below_age":     &p.FireFreeBelowAge,
		"glass_repair_deductible": &p.GlassRepair, "glass_repair_dealer_deductible": &p.GlassRepairDealer,
		"theft_negligence_percent": &p.TheftNegligencePercent, "theft_negligence_min": &p.TheftNegligenceMin,
		"theft_wheel_nuts_addition": &p.TheftWheelNuts, "theft_detached_unlocked_percent": &p.TheftDetachedPercent,
		"theft_loss_after_days": &p.TheftLossDays,
		"therapy_max_sessions":  &p.TherapySessions, "therapy_session_cap": &p.TherapySessionCap,
		"therapy_total_cap": &p.TherapyTotalCap, "therapy_months": &p.TherapyMonths,
		"wheels_cap_pbb_percent": &p.WheelsCapPBBPercent, "wheels_cap_over_age": &p.WheelsCapOverAge,
		"tyre_depreciation_percent": &p.TyrePercent, "tyre_depreciation_max": &p.TyreMax,
		"rim_depreciation_percent": &p.RimPercent, "rim_depreciation_free_years": &p.RimFreeYears,
		"rim_depreciation_max": &p.RimMax,
		"machinery_below_age":  &p.MachineryBelowAge, "machinery_max_km": &p.MachineryMaxKm,
		"machinery_band1_km": &p.BandKm[0], "machinery_band1_deductible": &p.BandDeductible[0],
		"machinery_band2_km": &p.BandKm[1], "machinery_band2_deductible": &p.BandDeductible[1],
		"machinery_band3_km": &p.BandKm[2], "machinery_band3_deductible": &p.BandDeductible[2],
		"machinery_band4_km": &p.BandKm[3], "machinery_band4_deductible": &p.BandDeductible[3],
		"machinery_missed_service_percent": &p.MachineryMissedPercent, "machinery_missed_services_max": &p.MachineryMissedMax,
		"legal_max_hours": &p.LegalMaxHours, "legal_investigation_cap": &p.LegalInvestigationCap,
		"legal_witness_cap": &p.LegalWitnessCap, "legal_dispute_cap": &p.LegalDisputeCap,
		"legal_deductible_percent": &p.LegalDeductiblePercent, "legal_deductible_min": &p.LegalDeductibleMin,
		"collision_young_driver_addition": &p.CollisionYoungAddition, "collision_young_below_age": &p.CollisionYoungBelowAge,
		"collision_tyre_defect_addition": &p.CollisionTyreDefect,
		"layup_garage_addition":          &p.LayupGarageAddition,
		"rental_sweden_percent":          &p.RentalSwedenPercent, "rental_sweden_max_days": &p.RentalSwedenMaxDays,
		"rental_abroad_percent": &p.RentalAbroadPercent, "rental_abroad_max_days": &p.RentalAbroadMaxDays,
		"rental_abroad_min_repair_days": &p.RentalAbroadMinRepairDays, "rental_transit_days_each_way": &p.RentalTransitDays,
		"rental_cash_per_day": &p.RentalCashPerDay, "rental_not_repaired_days": &p.RentalNotRepairedDays,
		"animal_clothes_cap": &p.AnimalClothesCap, "vandalism_retained": &p.VandalismRetained,
		"vandalism_no_collision_cap":     &p.VandalismNoCollisionCap,
		"collision_abroad_max_model_age": &p.CollisionAbroadMaxModelAge,
		"interior_cap":                   &p.InteriorCap, "interior_deductible": &p.InteriorDeductible,
		"interior_max_age": &p.InteriorMaxAge, "interior_no_collision_cap": &p.InteriorNoCollisionCap,
		"key_cap": &p.KeyCap, "key_deductible": &p.KeyDeductible, "plus_reduction": &p.PlusReduction,
		"care_min_age": &p.CareMinAge, "care_years": &p.CareYears,
		"breach_percent": &p.BreachPercent, "ice_percent": &p.IcePercent,
		"false_info_percent": &p.FalseInfoPercent, "false_info_min": &p.FalseInfoMin,
		"vat_counted_percent": &p.VATCountedPercent, "new_car_within_years": &p.NewCarWithinYears,
		"new_car_max_km": &p.NewCarMaxKm, "new_car_repair_percent": &p.NewCarRepairPercent,
		"time_bar_years": &p.TimeBarYears, "auto_collision_deductible": &p.AutoCollisionDeductible,
		"warranty_years": &p.WarrantyYears,
	}
}

var paramCache sync.Map // version id -> *params

// paramsOf reads the parameter table of v; a missing parameter is an error
// of the version file, not of the claim.
func paramsOf(v *terms.Version) (*params, error) {
	if p, ok := paramCache.Load(v.ID); ok {
		return p.(*params), nil
	}
	p := &params{}
	for name, dst := range p.fields() {
		x, ok := v.Param(name)
		if !ok {
			return nil, fmt.Errorf("insurance: %s has no parameter %s", v.ID, name)
		}
		*dst = x.Value
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
	paramCache.Store(v.ID, p)
	return p, nil
}
