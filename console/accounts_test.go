package console_test

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"roadcover/console"
	"roadcover/desk"
)

// TestAccountLabels checks that every label the accounts page asks for
// exists in each of the console's languages, including one per kind of
// account event and per field an account change records.
func TestAccountLabels(t *testing.T) {
	en := console.LabelsOf(t, "accounts-i18n.js")
	js, err := os.ReadFile("assets/accounts.js")
	if err != nil {
		t.Fatal(err)
	}
	need := map[string]bool{}
	for _, m := range regexp.MustCompile(`[^A-Za-z_.]a\("([a-z_.0-9]+)"\s*[,)]`).FindAllStringSubmatch(string(js), -1) {
		need[m[1]] = true
	}
	// The list's columns and the account's facts are named in arrays.
	cols := regexp.MustCompile(`\[((?:"[a-z]+", )+"[a-z]+")\]\.map\(\(k\) => h\("th", \{ scope: "col" \}, a\("col\." \+ k\)\)\)`).FindStringSubmatch(string(js))
	if cols == nil {
		t.Fatal("accounts.js heads no columns with a(\"col.\" + k)")
	}
	for _, k := range strings.Split(cols[1], ", ") {
		need["col."+strings.Trim(k, `"`)] = true
	}
	for _, m := range regexp.MustCompile(`\[\["([a-z]+\.[a-z]+)", |\], \["([a-z]+\.[a-z]+)", `).FindAllStringSubmatch(string(js), -1) {
		need[m[1]+m[2]] = true
	}
	for _, k := range desk.AccountEventKinds {
		need["ev."+k] = true
	}
	ct := reflect.TypeFor[desk.AccountChangedData]()
	for i := range ct.NumField() {
		need["field."+strings.Split(ct.Field(i).Tag.Get("json"), ",")[0]] = true
	}
	need["actor.cli"], need["actor.system"] = true, true
	if len(need) < 40 {
		t.Fatalf("only %d labels found in accounts.js: %v", len(need), need)
	}
	for k := range need {
		if _, ok := en[k]; !ok {
			t.Errorf("accounts.js asks for the label %q, which accounts-i18n.js lacks", k)
		}
	}
}
