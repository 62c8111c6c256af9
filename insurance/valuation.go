package insurance

import (
	"math"

	"roadcover"
)

// value applies 4.6: without VAT for a VAT-registered policyholder.
func (st *state) value(x int64) int64 {
	if !st.c.Policy.VATRegistered {
		return x
	}
	st.use(rdVAT)
	return st.pct(x, st.pv(pVATCountedPercent))
}

// pct is the one place where percentages of money are taken (rounded by
// roadcover.PercentOf); using it names the rounding reading.
func (st *state) pct(x, percent int64) int64 {
	if percent == 100 {
		return x
	}
	st.use(rdRounding)
	y, ok := percentOf(x, percent)
	if !ok {
		st.need("costs", "an amount is too large to settle")
	}
	return y
}

// percentOf is roadcover.PercentOf (rounded half away from zero) for any
// amount: when x × percent would overflow, it splits x = 100q + r, which
// gives the same result for a percent up to 100. ok is false when the
// result itself does not fit (a percent over 100 of a huge amount).
func percentOf(x, percent int64) (int64, bool) {
	if limit := (math.MaxInt64 - 50) / max(percent, 1); percent == 0 || (x <= limit && x >= -limit) {
		return roadcover.PercentOf(x, percent), true
	}
	if percent < 0 || percent > 100 {
		return 0, false
	}
	q, r := x/100, x%100
	return q*percent + roadcover.DivRound(r*percent, 100), true
}

// carLoss values damage to the car: 4.8 new car, else the repair cost,
// 4.6 without VAT, 4.4 at most the market value.
func (st *state) carLoss(l *Line, newCarRule bool) int64 {
	c := st.c
	if !c.Costs.HasRepair {
		st.need("costs.repair_sek", "the repair cost is required for the "+l.Cover+" line")
		return 0
	}
	if newCarRule && c.Costs.HasNewCar && c.Vehicle.OwnedSinceFirstRegistration &&
		st.age < st.pv(pNewCarWithinYears) && c.Vehicle.OdometerKm <= st.pv(pNewCarMaxKm) &&
		c.Costs.Repair*100 > c.Costs.NewCarPrice*st.pv(pNewCarRepairPercent) {
		st.use(rdNewCarPrice)
		l.NewCar = true
		st.s.NewCar = true
		x := l.step(st, "new_car_price", "4.8", c.Costs.NewCarPrice)
		if c.Policy.VATRegistered {
			x = l.step(st, "without_vat", "4.6", st.value(x))
		}
		return x
	}
	x := l.step(st, "repair_cost", "4.4", c.Costs.Repair)
	return st.marketCap(l, x)
}

// marketCap applies 4.6 and then 4.4's market value ceiling.
func (st *state) marketCap(l *Line, x int64) int64 {
	c := st.c
	if c.Policy.VATRegistered {
		x = l.step(st, "without_vat", "4.6", st.value(x))
	}
	if c.Costs.HasMarketValue {
		mv := st.value(c.Costs.MarketValue)
		if x > mv {
			x = l.step(st, "market_value_cap", "4.4", mv)
		}
	}
	return x
}
