package reliability_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

// This file is analytics's entry in the cross-provider suites: its credential
// rigs, walks, redirect calls and invalid options (see providers_test.go),
// and its own bad-input tests.

func analyticsProvider() provider {
	return provider{
		name: "analytics",
		rigs: []credRigCase{
			{"analytics/token", credAnalyticsRig},
		},
		walks: []faultProvider{
			{
				// One call over pages*90+45 days, fetched as pages+1 windows.
				name: "analytics", basePath: analyticstest.BasePath, faultScale: faultScale{pages: 125},
				start: func(faultScale, bool) (faultServer, string) {
					srv := analyticstest.NewServer()
					return srv, srv.URL + analyticstest.BasePath
				},
				each: func(ctx context.Context, s faultSettings, sc faultScale, yield func(faultItem) bool) error {
					c, err := faultAnalyticsClient(s)
					if err != nil {
						return err
					}
					ts, err := c.GetUserActivity(ctx, analyticstest.ClientID, analyticstest.UserID, &analytics.UserActivityParams{
						StartDate: faultAnalyticsStart, EndDate: faultAnalyticsStart.AddDate(0, 0, sc.pages*analyticstest.MaxRangeDays+44)})
					if err != nil {
						return err
					}
					head := faultItemOf("series", []any{ts.Metric, ts.Label, ts.Period})
					head.Extra = true
					if !yield(head) {
						return nil
					}
					for _, d := range ts.Data {
						if !yield(faultItemOf(d.Date.Format(time.DateOnly), d)) {
							return nil
						}
					}
					return nil
				},
			},
		},
		redirects: []credRedirectCall{
			{"analytics", func(ctx context.Context, base string) error {
				c, err := analytics.NewClient(analytics.WithBaseURL(base), analytics.WithToken(analyticstest.Token))
				if err != nil {
					return err
				}
				_, err = c.GetUserActivity(ctx, analyticstest.ClientID, analyticstest.UserID, &analytics.UserActivityParams{
					StartDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)})
				return err
			}, analyticstest.BasePath},
		},
		secretCases: func(t *testing.T, sa secretAdder, badURLs []string, s1, s2 string) {
			for _, u := range badURLs {
				sa.add("analytics WithBaseURL", func() error {
					_, err := analytics.NewClient(analytics.WithToken("t-1234"), analytics.WithBaseURL(u))
					return err
				})
				sa.add("analytics ANALYTICS_BASE_URL", func() error {
					t.Setenv("ANALYTICS_BASE_URL", u)
					_, err := analytics.NewClient(analytics.WithToken("t-1234"))
					return err
				})
			}
		},
		badOptions: func(add func(string, func() error, ...string), bv badValues) {
			nc := func(opts ...analytics.Option) func() error {
				return func() error {
					_, err := analytics.NewClient(append([]analytics.Option{analytics.WithToken("t-1234")}, opts...)...)
					return err
				}
			}
			addCommonBadOptions(add, "analytics", nc, commonOptions[analytics.Option]{analytics.WithBaseURL, analytics.WithHTTPClient,
				analytics.WithUserAgent, withRetry(analytics.WithRetryPolicy), analytics.WithRateLimit}, "a\nb", bv.urls, bv.policies, bv.rates)
			add("analytics WithToken empty", func() error { _, err := analytics.NewClient(analytics.WithToken("")); return err }, "analytics: ", "WithToken")
			add("analytics no credentials", func() error { _, err := analytics.NewClient(); return err },
				"analytics: ", "WithToken", "ANALYTICS_API_TOKEN")
		},
	}
}

// TestPathSafetyAnalytics: client and user ids must be UUIDs; anything else
// is a *ValidationError naming the id, and nothing is sent.
func TestPathSafetyAnalytics(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	c, err := analytics.NewClient(analytics.WithBaseURL(srv.URL+analyticstest.BasePath), analytics.WithToken(analyticstest.Token))
	if err != nil {
		t.Fatal(err)
	}
	p := &analytics.UserActivityParams{StartDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	uuid := analyticstest.UserID
	ids := append([]string{"", uuid + "/..", uuid + "%2F", "../" + uuid, uuid[:35] + "/", uuid[:35] + "?",
		uuid[:35] + "#", uuid[:35] + ".", strings.ReplaceAll(uuid, "-", "/"), " " + uuid, uuid + " ",
		"{" + uuid[1:35] + "}", strings.ReplaceAll(uuid, "a", "g")}, credHostileIDs...)
	for _, id := range ids {
		for _, field := range []string{"clientID", "userID"} {
			clientID, userID := analyticstest.ClientID, analyticstest.UserID
			if field == "clientID" {
				clientID = id
			} else {
				userID = id
			}
			_, err := c.GetUserActivity(context.Background(), clientID, userID, p)
			credWantInvalid(t, field+"="+id, err, "analytics", field)
		}
	}
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("the fake received %d requests", n)
	}
	// Upper-case UUIDs are UUIDs: they are sent, as one segment each.
	up := strings.ToUpper(analyticstest.ClientID)
	_, _ = c.GetUserActivity(context.Background(), up, strings.ToUpper(uuid), p)
	if r, ok := srv.LastRequest(); !ok || r.RawPath != analyticstest.BasePath+"/clients/"+up+"/analytics/users/"+strings.ToUpper(uuid)+"/activity" {
		t.Errorf("upper-case ids: request %+v", r.RawPath)
	}
}

// TestBadInputAnalytics: every field of UserActivityParams and both ids.
func TestBadInputAnalytics(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	c, err := analytics.NewClient(analytics.WithBaseURL(srv.URL+analyticstest.BasePath), analytics.WithToken(analyticstest.Token))
	if err != nil {
		t.Fatal(err)
	}
	type P = analytics.UserActivityParams
	day, next := credDay, credDay.AddDate(0, 0, 1)
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           *P
	}{
		{"nil", "StartDate", nil},
		{"StartDate zero", "StartDate", &P{EndDate: day}},
		{"EndDate zero", "EndDate", &P{StartDate: day}},
		{"EndDate before StartDate", "EndDate", &P{StartDate: next, EndDate: day}},
		{"StartDate year 0", "StartDate", &P{StartDate: credY0, EndDate: day}},
		{"StartDate negative year", "StartDate", &P{StartDate: credYNeg, EndDate: day}},
		{"EndDate year 10000", "EndDate", &P{StartDate: day, EndDate: credY10k}},
		{"Granularity unknown", "Granularity", &P{Granularity: "hourly", StartDate: day, EndDate: next}},
		{"Granularity case", "Granularity", &P{Granularity: "Daily", StartDate: day, EndDate: next}},
		{"Granularity space", "Granularity", &P{Granularity: " daily", StartDate: day, EndDate: next}},
		// Issue 13: a metric is checked for form, not against a closed list
		// (a well-formed unknown metric is the server's 400).
		{"Metric space", "Metric", &P{Metric: "page views", StartDate: day, EndDate: next}},
		{"Metric control", "Metric", &P{Metric: "activity-count\r\nX-Injected: 1", StartDate: day, EndDate: next}},
		{"quarterly range with a long quarter", "Granularity", &P{Granularity: analytics.GranularityQuarterly,
			StartDate: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)}},
	} {
		p := v.p
		cases = append(cases, credBadCase{v.name, v.field, func(ctx context.Context) error {
			_, err := c.GetUserActivity(ctx, analyticstest.ClientID, analyticstest.UserID, p)
			return err
		}})
	}
	good := &P{StartDate: day, EndDate: next}
	for _, id := range []string{"", "x", analyticstest.UserID + "0", "../" + analyticstest.UserID[3:]} {
		cases = append(cases,
			credBadCase{"clientID " + id, "clientID", func(ctx context.Context) error {
				_, err := c.GetUserActivity(ctx, id, analyticstest.UserID, good)
				return err
			}},
			credBadCase{"userID " + id, "userID", func(ctx context.Context) error {
				_, err := c.GetUserActivity(ctx, analyticstest.ClientID, id, good)
				return err
			}})
	}
	credRunBad(t, "analytics", srv.RequestCount, cases)
}

func credAnalyticsRig(t *testing.T) *credRig {
	const token, wrongToken = "analytics-secret-token-9a8b7c6d", "analytics-wrong-token-2b3c4d5e"
	srv := analyticstest.NewServer(analyticstest.WithToken(token))
	t.Cleanup(srv.Close)
	px := credNewProxy(t, srv.URL)
	newClient := func(base string, wrong bool, log *slog.Logger) (*analytics.Client, error) {
		tok := token
		if wrong {
			tok = wrongToken
		}
		return analytics.NewClient(analytics.WithBaseURL(base), analytics.WithToken(tok), analytics.WithLogger(log),
			analytics.WithRetryPolicy(analytics.RetryPolicy(credFastRetry)))
	}
	params := &analytics.UserActivityParams{StartDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		EndDate: time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)} // two windows
	return &credRig{
		fake: srv, proxy: px, base: px.URL + analyticstest.BasePath, basePath: analyticstest.BasePath,
		static: []string{token, wrongToken},
		call: func(ctx context.Context, base string, wrong bool, log *slog.Logger) error {
			c, err := newClient(base, wrong, log)
			if err != nil {
				return err
			}
			_, err = c.GetUserActivity(ctx, analyticstest.ClientID, analyticstest.UserID, params)
			return err
		},
		bad: func(ctx context.Context, base string, log *slog.Logger) error {
			c, err := newClient(base, false, log)
			if err != nil {
				return err
			}
			_, err = c.GetUserActivity(ctx, analyticstest.ClientID, "../"+analyticstest.UserID, params)
			return err
		},
	}
}

func faultAnalyticsClient(s faultSettings) (*analytics.Client, error) {
	opts := []analytics.Option{analytics.WithBaseURL(s.baseURL), analytics.WithRetryPolicy(analytics.RetryPolicy(s.retry)),
		analytics.WithToken(analyticstest.Token)}
	if s.hc != nil {
		opts = append(opts, analytics.WithHTTPClient(s.hc))
	}
	if s.rate > 0 {
		opts = append(opts, analytics.WithRateLimit(s.rate, s.burst))
	}
	if s.maxBody > 0 {
		opts = append(opts, analytics.WithMaxBodyBytes(s.maxBody))
	}
	return analytics.NewClient(opts...)
}
