package reliability_test

import (
	"testing"

	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/core"
)

// provider is one provider package as the cross-provider suites see it. Each
// provider builds its entry in its own file (workiva_test.go, ...), next to
// its own bad-input tests; a new provider adds its file and one line to
// providers.
type provider struct {
	name string
	// rigs are its credential kinds, behind an echoing proxy
	// (TestCredentialsNeverInErrorsLogsOrPanics).
	rigs []credRigCase
	// walks read everything its fake holds (the fault, deadline and leak
	// suites).
	walks []faultProvider
	// redirects are calls on a base host that redirects
	// (TestCredentialsRedirectToAnotherHost).
	redirects []credRedirectCall
	// secretCases adds NewClient calls whose errors must not show the
	// secrets in badURLs, s1 and s2 (TestCredentialsNotInNewClientErrors).
	secretCases func(t *testing.T, sa secretAdder, badURLs []string, s1, s2 string)
	// badOptions adds its invalid option values (TestBadOptions).
	badOptions func(add func(name string, err func() error, want ...string), bv badValues)
}

// providers returns every provider's entry, in the order the suites run
// them.
func providers() []provider {
	return []provider{workivaProvider(), activtrakProvider(), sdelementsProvider(), closeProvider(), analyticsProvider()}
}

// badValues are the invalid values of the common options, and a valid token
// source, for badOptions.
type badValues struct {
	urls     []string
	policies []core.RetryPolicy
	rates    [][2]float64
	ts       oauth2.TokenSource
}

// secretAdder collects the cases of TestCredentialsNotInNewClientErrors: add
// for a value NewClient must refuse, addMay for a valid one whose error, if
// any, is checked.
type secretAdder struct {
	add    func(name string, fn func() error)
	addMay func(name string, fn func() error)
}
