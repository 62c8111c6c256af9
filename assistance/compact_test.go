package assistance

import "testing"

func TestClauseIndex(t *testing.T) {
	for i, s := range clauseNames {
		if n, ok := clauseIndex(s); !ok || int(n) != i {
			t.Errorf("clauseIndex(%q) = %d, %v; want %d", s, n, ok, i)
		}
	}
}
