package reliability_test

import (
	"context"
	"log/slog"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/paging"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

// This file is sdelements's entry in the cross-provider suites: its credential
// rigs, walks, redirect calls and invalid options (see providers_test.go),
// and its own bad-input tests.

func sdelementsProvider() provider {
	return provider{
		name: "sdelements",
		rigs: []credRigCase{
			{"sdelements/token", credSDElementsRig},
		},
		walks: []faultProvider{
			{
				name: "sdelements", paged: true, faultScale: faultScale{pages: 100, pageSize: 100},
				start: func(sc faultScale, _ bool) (faultServer, string) {
					srv := sdelementstest.NewServer(sdelementstest.WithActivities(sc.pages*sc.pageSize + sc.pageSize/2))
					return srv, srv.URL
				},
				each: func(ctx context.Context, s faultSettings, sc faultScale, yield func(faultItem) bool) error {
					c, err := faultSDElementsClient(s)
					if err != nil {
						return err
					}
					p := c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: sc.pageSize})
					return faultRange((*paging.Pager[sdelements.Activity])(p), s.readAhead, func(a sdelements.Activity) string { return strconv.FormatInt(a.ID, 10) }, yield)
				},
			},
		},
		redirects: []credRedirectCall{
			{"sdelements", func(ctx context.Context, base string) error {
				c, err := sdelements.NewClient(sdelements.WithBaseURL(base), sdelements.WithToken(sdelementstest.Token))
				if err != nil {
					return err
				}
				_, err = credWalk(c.ListActivities(ctx, nil).All())
				return err
			}, ""},
		},
		secretCases: func(t *testing.T, sa secretAdder, badURLs []string, s1, s2 string) {
			for _, u := range badURLs {
				sa.add("sdelements WithBaseURL", func() error {
					_, err := sdelements.NewClient(sdelements.WithToken("t-1234"), sdelements.WithBaseURL(u))
					return err
				})
				sa.add("sdelements SDE_BASE_URL", func() error {
					t.Setenv("SDE_BASE_URL", u)
					_, err := sdelements.NewClient(sdelements.WithToken("t-1234"))
					return err
				})
			}
			sa.add("sdelements WithToken with a space", func() error {
				_, err := sdelements.NewClient(sdelements.WithToken(s1+" "+s2), sdelements.WithBaseURL("https://sde.example.com"))
				return err
			})
			sa.add("sdelements SDE_API_TOKEN with a control character", func() error {
				t.Setenv("SDE_API_TOKEN", s1+"\x01"+s2)
				_, err := sdelements.NewClient(sdelements.WithBaseURL("https://sde.example.com"))
				return err
			})
		},
		badOptions: func(add func(string, func() error, ...string), bv badValues) {
			nc := func(opts ...sdelements.Option) func() error {
				return func() error {
					_, err := sdelements.NewClient(append([]sdelements.Option{sdelements.WithToken("t-1234"),
						sdelements.WithBaseURL("https://sde.example.com")}, opts...)...)
					return err
				}
			}
			addCommonBadOptions(add, "sdelements", nc, commonOptions[sdelements.Option]{sdelements.WithBaseURL, sdelements.WithHTTPClient,
				sdelements.WithUserAgent, withRetry(sdelements.WithRetryPolicy), sdelements.WithRateLimit}, "a\nb", bv.urls, bv.policies, bv.rates)
			for _, n := range []int{-1, 17} {
				add("sdelements WithReadAhead", nc(sdelements.WithReadAhead(n)), "sdelements: ", "WithReadAhead")
			}
			for _, tok := range []string{"", "a b", "a\x00b", "tok\n"} {
				add("sdelements WithToken", nc(sdelements.WithToken(tok)), "sdelements: ", "WithToken")
			}
			add("sdelements no credentials", func() error {
				_, err := sdelements.NewClient(sdelements.WithBaseURL("https://sde.example.com"))
				return err
			}, "sdelements: ", "WithToken", "SDE_API_TOKEN")
			add("sdelements no instance", func() error { _, err := sdelements.NewClient(sdelements.WithToken("t-1234")); return err },
				"sdelements: ", "WithBaseURL", "SDE_BASE_URL")
		},
	}
}

// TestBadInputSDElements: every field of ListActivitiesParams and the id of
// GetActivity.
func TestBadInputSDElements(t *testing.T) {
	t.Parallel()
	srv := sdelementstest.NewServer()
	t.Cleanup(srv.Close)
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		t.Fatal(err)
	}
	type P = sdelements.ListActivitiesParams
	day := credDay
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           P
	}{
		{"Actor", "Actor", P{Actor: -1}},
		{"User", "User", P{User: -1}},
		{"Application", "Application", P{Application: -2}},
		{"BusinessUnit", "BusinessUnit", P{BusinessUnit: -3}},
		{"Project", "Project", P{Project: math.MinInt64}},
		{"ID", "ID", P{ID: -1}},
		{"ApplicationDesc NUL", "ApplicationDesc", P{ApplicationDesc: "a\x00"}},
		{"BusinessUnitDesc NUL", "BusinessUnitDesc", P{BusinessUnitDesc: "\x00"}},
		{"ProjectDesc NUL", "ProjectDesc", P{ProjectDesc: "p\x00q"}},
		{"Name NUL", "Name", P{Name: "LoggedInActivity\x00"}},
		{"StandardDesc NUL", "StandardDesc", P{StandardDesc: "T21: x\x00"}},
		{"Standard X1", "Standard", P{Standard: "X1"}},
		{"Standard T", "Standard", P{Standard: "T"}},
		{"Standard CT", "Standard", P{Standard: "CT"}},
		{"Standard t21", "Standard", P{Standard: "t21"}},
		{"Standard T2a", "Standard", P{Standard: "T2a"}},
		{"Standard CCT1", "Standard", P{Standard: "CCT1"}},
		{"Standard space", "Standard", P{Standard: " T21"}},
		{"Standard NUL", "Standard", P{Standard: "T21\x00"}},
		{"DateFrom after DateTo", "DateFrom", P{DateFrom: day.Add(time.Microsecond), DateTo: day}},
		{"DateFrom year 0", "DateFrom", P{DateFrom: credY0}},
		{"DateFrom year 10000", "DateFrom", P{DateFrom: credY10k}},
		{"DateTo negative year", "DateTo", P{DateTo: credYNeg}},
		{"DateTo year 10000", "DateTo", P{DateTo: credY10k}},
		{"PageSize -1", "PageSize", P{PageSize: -1}},
		// Issue 13: no SDK maximum any more (any positive size is sent).
		{"Include comma", "Include", P{Include: []string{"a,b"}}},
		{"Include empty", "Include", P{Include: []string{""}}},
		{"Expand space", "Expand", P{Expand: []string{"actor "}}},
		{"Exclude twice", "Exclude", P{Exclude: []string{"data", "data"}}},
		{"Exclude and Expand", "Exclude", P{Expand: []string{"actor"}, Exclude: []string{"actor"}}},
		{"PageToken word", "PageToken", P{PageToken: "page-2"}},
		{"PageToken foreign", "PageToken", P{PageToken: "http://127.0.0.2:1/api/v2/activities/?page=2"}},
		{"PageToken other path", "PageToken", P{PageToken: srv.URL + "/api/v2/projects/?page=2"}},
		{"PageToken other path, relative", "PageToken", P{PageToken: "/api/v2/users/?page=2"}},
	} {
		p := v.p
		cases = append(cases, credBadCase{"list " + v.name, v.field, func(ctx context.Context) error {
			_, err := credWalk(c.ListActivities(ctx, &p).All())
			return err
		}})
	}
	for _, id := range []int64{0, -1, math.MinInt64} {
		cases = append(cases, credBadCase{"GetActivity", "activityID", func(ctx context.Context) error {
			_, err := c.GetActivity(ctx, id)
			return err
		}})
	}
	credRunBad(t, "sdelements", srv.RequestCount, cases)
}

func credSDElementsRig(t *testing.T) *credRig {
	const token, wrongToken = "sde-secret-token-1a2b3c4d", "sde-wrong-token-5e6f7a8b"
	srv := sdelementstest.NewServer(sdelementstest.WithToken(token), sdelementstest.WithActivities(120))
	t.Cleanup(srv.Close)
	px := credNewProxy(t, srv.URL)
	newClient := func(base string, wrong bool, log *slog.Logger) (*sdelements.Client, error) {
		tok := token
		if wrong {
			tok = wrongToken
		}
		return sdelements.NewClient(sdelements.WithBaseURL(base), sdelements.WithToken(tok), sdelements.WithLogger(log),
			sdelements.WithRetryPolicy(sdelements.RetryPolicy(credFastRetry)))
	}
	return &credRig{
		fake: srv, proxy: px, base: px.URL, static: []string{token, wrongToken},
		call: func(ctx context.Context, base string, wrong bool, log *slog.Logger) error {
			c, err := newClient(base, wrong, log)
			if err != nil {
				return err
			}
			for _, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 50}).All() {
				if err != nil {
					return err
				}
			}
			_, err = c.GetActivity(ctx, 7)
			return err
		},
		bad: func(ctx context.Context, base string, log *slog.Logger) error {
			c, err := newClient(base, false, log)
			if err != nil {
				return err
			}
			_, err = c.GetActivity(ctx, -7)
			return err
		},
	}
}

func faultSDElementsClient(s faultSettings) (*sdelements.Client, error) {
	opts := []sdelements.Option{sdelements.WithBaseURL(s.baseURL), sdelements.WithRetryPolicy(sdelements.RetryPolicy(s.retry)),
		sdelements.WithToken(sdelementstest.Token)}
	if s.hc != nil {
		opts = append(opts, sdelements.WithHTTPClient(s.hc))
	}
	if s.rate > 0 {
		opts = append(opts, sdelements.WithRateLimit(s.rate, s.burst))
	}
	if s.maxBody > 0 {
		opts = append(opts, sdelements.WithMaxBodyBytes(s.maxBody))
	}
	return sdelements.NewClient(opts...)
}
