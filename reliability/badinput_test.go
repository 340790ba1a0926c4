package reliability_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/core"
)

// credHostileIDs are ids that would change a request's path if they were
// pasted into it unescaped.
var credHostileIDs = []string{
	"../x", "a/b", "%2F", "..", ".", "?x=1", "#f", "a b", "%", "%zz", "../../oauth2/token",
	"a%2F..%2Fb", "x/../../y", "/", "//evil.example/x", `a\b`, ";x=1", "a?b#c", "ü/é", "+/+/==",
	"..%2F..%2F", "%2e%2e", "\x00", "a\nb", "a\rb", "@evil.example",
}

// credSegments splits an escaped path into unescaped segments, or fails.
func credSegments(t *testing.T, raw string) []string {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(raw, "/"), "/")
	out := make([]string, len(parts))
	for i, p := range parts {
		if p == "." || p == ".." {
			t.Errorf("raw path %q has a dot segment", raw)
		}
		s, err := url.PathUnescape(p)
		if err != nil {
			t.Errorf("raw path %q: segment %q does not unescape: %v", raw, p, err)
		}
		out[i] = s
	}
	return out
}

// credWantInvalid checks that err is a *ValidationError of provider naming
// field, whose message names the field too.
func credWantInvalid(t *testing.T, name string, err error, provider, field string) {
	t.Helper()
	var ve *core.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("%s: error %v (%T), want a *ValidationError", name, err, err)
		return
	}
	if ve.Field != field {
		t.Errorf("%s: Field %q, want %q (%v)", name, ve.Field, field, err)
	}
	if ve.Provider != provider || ve.Problem == "" || !strings.HasPrefix(err.Error(), provider+": ") {
		t.Errorf("%s: error %q, want one from %s with a problem", name, err, provider)
	}
	if field != "" && !strings.Contains(err.Error(), field) {
		t.Errorf("%s: message %q does not name %s", name, err, field)
	}
}

// credBadCase is one invalid input: the operation, and the field its
// *ValidationError must name.
type credBadCase struct {
	name  string
	field string
	call  func(ctx context.Context) error
}

// credRunBad runs every case against a fresh fake and checks the field of
// each *ValidationError and that the fake never received a request.
func credRunBad(t *testing.T, provider string, count func() int64, cases []credBadCase) {
	t.Helper()
	for _, bc := range cases {
		before := count()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var err error
		credNoPanic(t, bc.name, nil, func() { err = bc.call(ctx) })
		cancel()
		credWantInvalid(t, bc.name, err, provider, bc.field)
		if n := count() - before; n != 0 {
			t.Errorf("%s: %d request(s) sent", bc.name, n)
		}
	}
	if n := count(); n != 0 {
		t.Errorf("%s: the fake received %d requests in all, want 0", provider, n)
	}
	t.Logf("%s: %d invalid inputs checked", provider, len(cases))
}

var (
	credDay  = time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	credY0   = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)
	credYNeg = time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)
	credY10k = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// credOptCase is one invalid option: NewClient must fail with an error that
// starts with the package name and names the option (or the variable).
type credOptCase struct {
	name string
	err  func() error
	want []string
}

// commonOptions are the options every package has under the same names.
type commonOptions[O any] struct {
	baseURL   func(string) O
	client    func(*http.Client) O
	userAgent func(string) O
	retry     func(core.RetryPolicy) O
	rate      func(float64, int) O
}

// retryPolicy is the layout of every package's RetryPolicy.
type retryPolicy interface {
	~struct {
		MaxRetries             int
		MinBackoff, MaxBackoff time.Duration
		MaxRetryAfter          time.Duration
	}
}

// withRetry adapts a package's WithRetryPolicy to take a core.RetryPolicy.
func withRetry[R retryPolicy, O any](f func(R) O) func(core.RetryPolicy) O {
	return func(p core.RetryPolicy) O { return f(R(p)) }
}

// addCommonBadOptions adds the bad values of the common options of one
// package; nc builds a NewClient call with a valid credential plus opts.
func addCommonBadOptions[O any](add func(string, func() error, ...string), pkg string, nc func(...O) func() error,
	o commonOptions[O], badUA string, badURLs []string, badPolicies []core.RetryPolicy, badRates [][2]float64) {
	for _, u := range badURLs {
		add(pkg+" WithBaseURL "+u, nc(o.baseURL(u)), pkg+": ", "WithBaseURL")
	}
	add(pkg+" WithHTTPClient nil", nc(o.client(nil)), pkg+": ", "WithHTTPClient")
	add(pkg+" WithUserAgent newline", nc(o.userAgent(badUA)), pkg+": ", "WithUserAgent")
	for _, p := range badPolicies {
		add(pkg+" WithRetryPolicy", nc(o.retry(p)), pkg+": ", "WithRetryPolicy")
	}
	for _, r := range badRates {
		add(pkg+" WithRateLimit", nc(o.rate(r[0], int(r[1]))), pkg+": ", "WithRateLimit")
	}
}

// TestBadOptions: an invalid value of every option of every package makes
// NewClient fail with an error naming the package and the option; with no
// credentials at all the error names the option and the variable.
func TestBadOptions(t *testing.T) {
	for _, env := range []string{"CLOSE_API_KEY", "WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET", "ACTIVTRAK_API_KEY",
		"SDE_API_TOKEN", "SDE_BASE_URL", "ANALYTICS_API_TOKEN", "ANALYTICS_BASE_URL"} {
		t.Setenv(env, "")
	}
	badURLs := []string{"", " ", "ftp://api.example.com", "http://api.example.com", "https://u:p@api.example.com",
		"https://api.example.com/?q=1", "https://api.example.com/#f", "api.example.com", "/relative", "https://", "https://%zz"}
	badPolicies := []core.RetryPolicy{{MaxRetries: -1}, {MaxRetries: 101}, {MaxRetries: 1, MinBackoff: -1},
		{MaxRetries: 1, MaxBackoff: -time.Second}, {MaxRetries: 1, MaxRetryAfter: -1},
		{MaxRetries: 1, MinBackoff: 2 * time.Second, MaxBackoff: time.Second}}
	badRates := [][2]float64{{0, 1}, {-1, 1}, {math.NaN(), 1}, {math.Inf(1), 1}, {1, 0}, {1, -1}}

	var cases []credOptCase
	add := func(name string, err func() error, want ...string) {
		cases = append(cases, credOptCase{name, err, want})
	}
	bv := badValues{urls: badURLs, policies: badPolicies, rates: badRates,
		ts: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-1234"})}
	for _, p := range providers() {
		p.badOptions(add, bv)
	}

	for _, oc := range cases {
		var err error
		credNoPanic(t, oc.name, nil, func() { err = oc.err() })
		if err == nil {
			t.Errorf("%s: NewClient accepted it", oc.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, oc.want[0]) {
			t.Errorf("%s: error %q does not start with %q", oc.name, msg, oc.want[0])
		}
		for _, w := range oc.want[1:] {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not name %s", oc.name, msg, w)
			}
		}
	}
	t.Logf("%d invalid option values checked", len(cases))
}
