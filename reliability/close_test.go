package reliability_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"

	"golang.org/x/oauth2"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
)

// This file is close's entry in the cross-provider suites: its credential
// rigs, walks, redirect calls and invalid options (see providers_test.go),
// and its own bad-input tests.

func closeProvider() provider {
	return provider{
		name: "close",
		rigs: []credRigCase{
			{"close/api-key", credCloseRig(false)},
			{"close/oauth-token-source", credCloseRig(true)},
		},
		walks: []faultProvider{
			{
				// A report is one request: the walk is a series of comparison
				// reports over consecutive week-long ranges, pageSize users each.
				name: "close", basePath: closetest.BasePath, faultScale: faultScale{pages: 102, pageSize: 100},
				start: func(sc faultScale, _ bool) (faultServer, string) {
					srv := closetest.NewServer(closetest.WithUsers(sc.pageSize), closetest.WithRateLimit(0, time.Second))
					return srv, srv.URL + closetest.BasePath
				},
				each: func(ctx context.Context, s faultSettings, sc faultScale, yield func(faultItem) bool) error {
					c, err := faultCloseClient(s)
					if err != nil {
						return err
					}
					for i := range sc.pages {
						from := faultCloseStart.AddDate(0, 0, i)
						rep, err := c.GetActivityReport(ctx, &closeapi.ActivityReportParams{Type: closeapi.ReportComparison,
							Metrics: faultCloseMetrics, DatetimeRange: &closeapi.DatetimeRange{Start: from, End: from.AddDate(0, 0, 7)}})
						if err != nil {
							return err
						}
						for _, r := range rep.Rows {
							if !yield(faultItemOf(fmt.Sprintf("%d/%s", i, r.UserID), r)) {
								return nil
							}
						}
						tot := faultItemOf(fmt.Sprintf("%d/totals", i), []any{rep.Totals, rep.TotalNulls})
						tot.Extra = true
						if !yield(tot) || !yield(faultItem{ID: fmt.Sprintf("%d/raw", i), Body: string(rep.Raw), Extra: true}) {
							return nil
						}
					}
					return nil
				},
			},
		},
		redirects: []credRedirectCall{
			{"close report (POST)", func(ctx context.Context, base string) error {
				c, err := closeapi.NewClient(closeapi.WithBaseURL(base), closeapi.WithAPIKey(closetest.APIKey))
				if err != nil {
					return err
				}
				_, err = c.GetActivityReport(ctx, &closeapi.ActivityReportParams{Type: closeapi.ReportOverview,
					Metrics: []string{closetest.Catalogue()[0].Key}, RelativeRange: closeapi.RangeToday})
				return err
			}, closetest.BasePath},
			{"close metrics (oauth)", func(ctx context.Context, base string) error {
				c, err := closeapi.NewClient(closeapi.WithBaseURL(base),
					closeapi.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: closetest.AccessToken})))
				if err != nil {
					return err
				}
				_, err = c.ListActivityMetrics(ctx)
				return err
			}, closetest.BasePath},
		},
		secretCases: func(t *testing.T, sa secretAdder, badURLs []string, s1, s2 string) {
			for _, u := range badURLs {
				sa.add("close WithBaseURL "+u[:8], func() error {
					_, err := closeapi.NewClient(closeapi.WithAPIKey("k-1234"), closeapi.WithBaseURL(u))
					return err
				})
			}
			sa.add("close WithAPIKey with ':'", func() error {
				_, err := closeapi.NewClient(closeapi.WithAPIKey("api_" + s1 + ":" + s2))
				return err
			})
			sa.add("close WithAPIKey with a line break", func() error {
				_, err := closeapi.NewClient(closeapi.WithAPIKey("api_" + s1 + "\n" + s2))
				return err
			})
			sa.add("close CLOSE_API_KEY with ':'", func() error {
				t.Setenv("CLOSE_API_KEY", s1+":"+s2)
				_, err := closeapi.NewClient()
				return err
			})
			sa.add("close both credential kinds", func() error {
				_, err := closeapi.NewClient(closeapi.WithAPIKey(s1),
					closeapi.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: s2})))
				return err
			})
		},
		badOptions: func(add func(string, func() error, ...string), bv badValues) {
			nc := func(opts ...closeapi.Option) func() error {
				return func() error {
					_, err := closeapi.NewClient(append([]closeapi.Option{closeapi.WithAPIKey("k-1234")}, opts...)...)
					return err
				}
			}
			addCommonBadOptions(add, "close", nc, commonOptions[closeapi.Option]{closeapi.WithBaseURL, closeapi.WithHTTPClient,
				closeapi.WithUserAgent, withRetry(closeapi.WithRetryPolicy), closeapi.WithRateLimit}, "a\nb", bv.urls, bv.policies, bv.rates)
			add("close WithAPIKey empty", func() error { _, err := closeapi.NewClient(closeapi.WithAPIKey("")); return err }, "close: ", "WithAPIKey")
			add("close WithAPIKey blank", func() error { _, err := closeapi.NewClient(closeapi.WithAPIKey(" \t")); return err }, "close: ", "WithAPIKey")
			add("close WithAPIKey colon", func() error { _, err := closeapi.NewClient(closeapi.WithAPIKey("a:b")); return err }, "close: ", "WithAPIKey")
			add("close WithTokenSource nil", func() error { _, err := closeapi.NewClient(closeapi.WithTokenSource(nil)); return err }, "close: ", "WithTokenSource")
			add("close both credentials", nc(closeapi.WithTokenSource(bv.ts)), "close: ", "WithAPIKey", "WithTokenSource")
			add("close no credentials", func() error { _, err := closeapi.NewClient(); return err }, "close: ", "WithAPIKey", "CLOSE_API_KEY")
		},
	}
}

// TestBadInputClose: every field of ActivityReportParams, for the JSON and
// the CSV report.
func TestBadInputClose(t *testing.T) {
	t.Parallel()
	srv := closetest.NewServer()
	t.Cleanup(srv.Close)
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL+closetest.BasePath), closeapi.WithAPIKey(closetest.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	type P = closeapi.ActivityReportParams
	type R = closeapi.DatetimeRange
	m := []string{closetest.Catalogue()[0].Key}
	ok := func(mod func(*P)) *P {
		p := &P{Type: closeapi.ReportOverview, Metrics: m, RelativeRange: closeapi.RangeToday}
		mod(p)
		return p
	}
	day := credDay
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           *P
	}{
		{"nil", "", nil},
		{"Type empty", "Type", ok(func(p *P) { p.Type = "" })},
		{"Type unknown", "Type", ok(func(p *P) { p.Type = "weekly" })},
		{"Type case", "Type", ok(func(p *P) { p.Type = "Overview" })},
		{"Metrics nil", "Metrics", ok(func(p *P) { p.Metrics = nil })},
		{"Metrics empty item", "Metrics", ok(func(p *P) { p.Metrics = []string{m[0], ""} })},
		{"Metrics space", "Metrics", ok(func(p *P) { p.Metrics = []string{"calls. count"} })},
		{"Metrics control", "Metrics", ok(func(p *P) { p.Metrics = []string{"calls\x00"} })},
		{"Metrics duplicate", "Metrics", ok(func(p *P) { p.Metrics = []string{m[0], m[0]} })},
		{"both ranges", "DatetimeRange", ok(func(p *P) { p.DatetimeRange = &R{Start: day, End: day.Add(time.Hour)} })},
		{"no range", "DatetimeRange", ok(func(p *P) { p.RelativeRange = "" })},
		{"Start zero", "DatetimeRange.Start", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{End: day} })},
		{"End zero", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day} })},
		{"End before Start", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day, End: day.Add(-time.Second)} })},
		{"End equals Start", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day, End: day} })},
		{"Start year 0", "DatetimeRange.Start", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: credY0, End: day} })},
		{"Start negative year", "DatetimeRange.Start", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: credYNeg, End: day} })},
		{"End year 10000", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day, End: credY10k} })},
		{"RelativeRange unknown", "RelativeRange", ok(func(p *P) { p.RelativeRange = "last-decade" })},
		{"RelativeRange case", "RelativeRange", ok(func(p *P) { p.RelativeRange = "Today" })},
		{"SavedSearchID no prefix", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "closetestHotLeads" })},
		{"SavedSearchID prefix only", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_" })},
		{"SavedSearchID dash", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_a-b" })},
		{"SavedSearchID path", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_../x" })},
		{"SavedSearchID space", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_ x" })},
		{"Users empty item", "Users", ok(func(p *P) { p.Users = []string{""} })},
		{"Users space", "Users", ok(func(p *P) { p.Users = []string{"user_1", "user 2"} })},
		{"Users control", "Users", ok(func(p *P) { p.Users = []string{"user\n"} })},
		{"TZOffset NaN", "TZOffset", ok(func(p *P) { h := math.NaN(); p.TZOffset = &h })},
		{"TZOffset +Inf", "TZOffset", ok(func(p *P) { h := math.Inf(1); p.TZOffset = &h })},
		{"TZOffset beyond +14", "TZOffset", ok(func(p *P) { h := 14.25; p.TZOffset = &h })},
		{"TZOffset beyond -14", "TZOffset", ok(func(p *P) { h := -15.0; p.TZOffset = &h })},
	} {
		p := v.p
		cases = append(cases,
			credBadCase{"report " + v.name, v.field, func(ctx context.Context) error {
				_, err := c.GetActivityReport(ctx, p)
				return err
			}},
			credBadCase{"csv " + v.name, v.field, func(ctx context.Context) error {
				rc, err := c.GetActivityReportCSV(ctx, p)
				if rc != nil {
					rc.Close()
				}
				return err
			}})
	}
	credRunBad(t, "close", srv.RequestCount, cases)
}

func credCloseRig(oauth bool) func(t *testing.T) *credRig {
	return func(t *testing.T) *credRig {
		srv := closetest.NewServer(closetest.WithRateLimit(0, 0))
		t.Cleanup(srv.Close)
		px := credNewProxy(t, srv.URL)
		const wrongKey = "api_wrongkey_9f8e7d6c5b4a39281706"
		const wrongToken = "closetest_wrong_oauth_0a1b2c3d4e5f"
		static := []string{closetest.APIKey, credBasic(closetest.APIKey, ""), wrongKey, credBasic(wrongKey, "")}
		if oauth {
			static = append(static, closetest.AccessToken, wrongToken)
		}
		params := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview,
			Metrics: []string{closetest.Catalogue()[0].Key}, RelativeRange: closeapi.RangeThisMonth}
		newClient := func(base string, wrong bool, log *slog.Logger) (*closeapi.Client, error) {
			opts := []closeapi.Option{closeapi.WithBaseURL(base), closeapi.WithLogger(log), closeapi.WithRetryPolicy(closeapi.RetryPolicy(credFastRetry))}
			switch {
			case oauth && wrong:
				opts = append(opts, closeapi.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: wrongToken})))
			case oauth:
				opts = append(opts, closeapi.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: closetest.AccessToken})))
			case wrong:
				opts = append(opts, closeapi.WithAPIKey(wrongKey))
			default:
				opts = append(opts, closeapi.WithAPIKey(closetest.APIKey))
			}
			return closeapi.NewClient(opts...)
		}
		return &credRig{
			fake: srv, proxy: px, base: px.URL + closetest.BasePath, basePath: closetest.BasePath, static: static,
			call: func(ctx context.Context, base string, wrong bool, log *slog.Logger) error {
				c, err := newClient(base, wrong, log)
				if err != nil {
					return err
				}
				if _, err := c.GetActivityReport(ctx, params); err != nil {
					return err
				}
				rc, err := c.GetActivityReportCSV(ctx, params)
				if err != nil {
					return err
				}
				_, err = io.Copy(io.Discard, rc)
				rc.Close()
				if err != nil {
					return err
				}
				_, err = c.ListActivityMetrics(ctx)
				return err
			},
			bad: func(ctx context.Context, base string, log *slog.Logger) error {
				c, err := newClient(base, false, log)
				if err != nil {
					return err
				}
				_, err = c.GetActivityReport(ctx, &closeapi.ActivityReportParams{Type: "weekly"})
				return err
			},
		}
	}
}

func faultCloseClient(s faultSettings) (*closeapi.Client, error) {
	opts := []closeapi.Option{closeapi.WithBaseURL(s.baseURL), closeapi.WithRetryPolicy(closeapi.RetryPolicy(s.retry)),
		closeapi.WithAPIKey(closetest.APIKey)}
	if s.hc != nil {
		opts = append(opts, closeapi.WithHTTPClient(s.hc))
	}
	if s.rate > 0 {
		opts = append(opts, closeapi.WithRateLimit(s.rate, s.burst))
	}
	if s.maxBody > 0 {
		opts = append(opts, closeapi.WithMaxBodyBytes(s.maxBody))
	}
	return closeapi.NewClient(opts...)
}
