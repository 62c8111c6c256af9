package fx

import "roadcover"

// Convert converts m with a euro reference rate: roadcover.Convert, the one
// place amounts are converted and rounded.
func Convert(m roadcover.Money, to string, rate float64) (roadcover.Money, error) {
	return roadcover.Convert(m, to, rate)
}
