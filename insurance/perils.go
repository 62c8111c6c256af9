package insurance

// Peril groups.
var (
	firePerils      = []string{"fire", "arson", "lightning", "explosion", "short_circuit"}
	glassPerils     = []string{"windscreen", "side_window", "rear_window"}
	theftPerils     = []string{"vehicle_theft", "unauthorised_taking", "attempted_theft", "break_in", "parts_theft", "wheel_theft", "robbery"}
	collisionPerils = []string{"collision", "single_vehicle", "vandalism", "parking_damage", "animal_collision", "other_external"}
	trafficAccident = []string{"collision", "single_vehicle", "animal_collision", "third_party_injury", "third_party_property"}
	layupPerils     = []string{"fire", "arson", "lightning", "explosion", "short_circuit", "windscreen", "side_window", "rear_window",
		"vehicle_theft", "unauthorised_taking", "attempted_theft", "break_in", "parts_theft", "wheel_theft", "robbery",
		"legal_dispute", "transport_damage", "vandalism", "other_external"}
)

// perilLines gives the lines of the own-damage covers the peril touches.
func (st *state) perilLines() {
	c := st.c
	peril := c.Incident.Peril
	if c.Vehicle.LaidUp {
		st.layup()
		return
	}
	if st.has(cvLayup) && in(peril, layupPerils) {
		st.refuse("layup", "not_laid_up", "2.10")
	}
	switch {
	case in(peril, firePerils):
		if st.has(cvFire) {
			st.fire("fire", "2.2")
		}
	case in(peril, glassPerils):
		if c.Incident.InCollision {
			if st.has(cvGlass) {
				st.refuse("glass", "in_collision", "2.3")
			}
			st.collisionKind()
		} else if st.has(cvGlass) {
			st.glass("glass", "2.3")
		}
	case in(peril, theftPerils):
		if st.has(cvTheft) {
			st.theft("theft", "2.4")
			if peril == "robbery" {
				st.therapy() // besides the car (robbery_theft)
			}
		}
	case peril == "key_theft":
		if st.has(cvTheft) {
			st.therapy()
		}
	case peril == "machinery_failure":
		if st.has(cvMachinery) {
			st.machinery()
		}
	case peril == "legal_dispute":
		if st.has(cvLegal) {
			st.legal("legal", "2.7")
		}
	case in(peril, collisionPerils) || peril == "transport_damage":
		st.collisionKind()
	case peril == "interior_accident":
		if st.bas() {
			st.interior()
		}
	case peril == "key_loss":
		if st.bas() {
			st.key()
		}
	case peril == "warranty_repair":
		if st.has(cvPlus) {
			st.plus()
		}
	}
}

// perilCover names the cover a peril belongs to, for a not_insured refusal.
func perilCover(peril string) string {
	switch {
	case in(peril, firePerils):
		return "fire"
	case in(peril, glassPerils):
		return "glass"
	case in(peril, theftPerils), peril == "key_theft":
		return "theft"
	case peril == "machinery_failure":
		return "machinery"
	case peril == "legal_dispute":
		return "legal"
	case peril == "interior_accident":
		return "interior"
	case peril == "key_loss":
		return "key"
	case peril == "warranty_repair":
		return "plus"
	case peril == "third_party_injury", peril == "third_party_property":
		return "traffic"
	case peril == "breakdown", peril == "driver_illness":
		return "rescue"
	}
	return "collision"
}

// coverOrder fixes the order of lines in the output.
func coverOrder(cover string) int {
	switch cover {
	case "traffic":
		return 0
	case "fire":
		return 1
	case "glass":
		return 2
	case "theft":
		return 3
	case "crisis_therapy":
		return 4
	case "machinery":
		return 5
	case "rescue":
		return 6
	case "legal":
		return 7
	case "collision":
		return 8
	case "layup":
		return 9
	case "rental_car":
		return 10
	case "animal_collision":
		return 11
	case "vandalism_deductible":
		return 12
	case "collision_abroad":
		return 13
	case "interior":
		return 14
	case "key":
		return 15
	case "plus":
		return 16
	case "care":
		return 17
	}
	return 18
}
