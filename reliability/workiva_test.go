package reliability_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/activitysdk/activity-go/internal/paging"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// This file is workiva's entry in the cross-provider suites: its credential
// rigs, walks, redirect calls and invalid options (see providers_test.go),
// and its own bad-input tests.

func workivaProvider() provider {
	return provider{
		name: "workiva",
		rigs: []credRigCase{
			{"workiva/client-credentials", credWorkivaRig(false)},
			{"workiva/token-source", credWorkivaRig(true)},
		},
		walks: []faultProvider{
			{
				name: "workiva", paged: true, faultScale: faultScale{pages: 100, pageSize: 100},
				start: func(sc faultScale, proxied bool) (faultServer, string) {
					opts := []workivatest.Option{workivatest.WithActivities(sc.pages*sc.pageSize + sc.pageSize/2)}
					if proxied {
						opts = append(opts, workivatest.WithNextLink(workivatest.NextLinkPath))
					}
					srv := workivatest.NewServer(opts...)
					return srv, srv.URL
				},
				each: func(ctx context.Context, s faultSettings, sc faultScale, yield func(faultItem) bool) error {
					c, err := faultWorkivaClient(s)
					if err != nil {
						return err
					}
					p := c.ListOrganizationActivities(ctx, workivatest.OrganizationID, &workiva.ListActivitiesParams{PageSize: sc.pageSize})
					return faultRange((*paging.Pager[workiva.Activity])(p), s.readAhead, func(a workiva.Activity) string { return a.ID }, yield)
				},
			},
		},
		redirects: []credRedirectCall{
			{"workiva token source", func(ctx context.Context, base string) error {
				c, err := workiva.NewClient(workiva.WithBaseURL(base),
					workiva.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "workiva-static-token-77aa"})))
				if err != nil {
					return err
				}
				_, err = c.GetActivity(ctx, workivatest.ActivityID(1))
				return err
			}, ""},
		},
		secretCases: func(t *testing.T, sa secretAdder, badURLs []string, s1, s2 string) {
			for _, u := range badURLs {
				sa.add("workiva WithBaseURL", func() error {
					_, err := workiva.NewClient(workiva.WithClientCredentials("id", "s-1234"), workiva.WithBaseURL(u))
					return err
				})
				// A token URL may have a query.
				sa.addMay("workiva WithTokenURL", func() error {
					_, err := workiva.NewClient(workiva.WithClientCredentials("id", "s-1234"), workiva.WithTokenURL(u))
					return err
				})
			}
			sa.add("workiva id without secret in env", func() error {
				t.Setenv("WORKIVA_CLIENT_ID", "")
				t.Setenv("WORKIVA_CLIENT_SECRET", s1)
				_, err := workiva.NewClient()
				return err
			})
			sa.add("workiva both credential kinds", func() error {
				_, err := workiva.NewClient(workiva.WithClientCredentials("id", s1),
					workiva.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: s2})))
				return err
			})
			sa.add("workiva WithScopes with a secret-looking scope", func() error {
				_, err := workiva.NewClient(workiva.WithClientCredentials("id", s1), workiva.WithScopes("a b"))
				return err
			})
		},
		badOptions: func(add func(string, func() error, ...string), bv badValues) {
			nc := func(opts ...workiva.Option) func() error {
				return func() error {
					_, err := workiva.NewClient(append([]workiva.Option{workiva.WithClientCredentials("id", "s-1234")}, opts...)...)
					return err
				}
			}
			addCommonBadOptions(add, "workiva", nc, commonOptions[workiva.Option]{workiva.WithBaseURL, workiva.WithHTTPClient,
				workiva.WithUserAgent, withRetry(workiva.WithRetryPolicy), workiva.WithRateLimit}, "a\rb", bv.urls, bv.policies, bv.rates)
			for _, u := range bv.urls {
				if !strings.Contains(u, "?") { // a token URL may have a query
					add("workiva WithTokenURL "+u, nc(workiva.WithTokenURL(u)), "workiva: ", "WithTokenURL")
				}
			}
			for _, n := range []int{-1, 17} {
				add("workiva WithReadAhead", nc(workiva.WithReadAhead(n)), "workiva: ", "WithReadAhead")
			}
			add("workiva WithRegion unknown", nc(workiva.WithRegion("MARS")), "workiva: ", "WithRegion")
			add("workiva WithRegion empty", nc(workiva.WithRegion("")), "workiva: ", "WithRegion")
			add("workiva WithRegion and WithBaseURL", nc(workiva.WithRegion(workiva.RegionEU), workiva.WithBaseURL("https://x.example.com")),
				"workiva: ", "WithRegion", "WithBaseURL")
			add("workiva WithScopes empty", nc(workiva.WithScopes("")), "workiva: ", "WithScopes")
			add("workiva WithScopes space", nc(workiva.WithScopes("activity:read other")), "workiva: ", "WithScopes")
			add("workiva WithClientCredentials no id", func() error { _, err := workiva.NewClient(workiva.WithClientCredentials(" ", "s")); return err },
				"workiva: ", "WithClientCredentials")
			add("workiva WithClientCredentials no secret", func() error { _, err := workiva.NewClient(workiva.WithClientCredentials("id", "")); return err },
				"workiva: ", "WithClientCredentials")
			add("workiva WithTokenSource nil", func() error { _, err := workiva.NewClient(workiva.WithTokenSource(nil)); return err },
				"workiva: ", "WithTokenSource")
			add("workiva both credentials", nc(workiva.WithTokenSource(bv.ts)), "workiva: ", "WithClientCredentials", "WithTokenSource")
			add("workiva no credentials", func() error { _, err := workiva.NewClient(); return err },
				"workiva: ", "WithClientCredentials", "WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET")
		},
	}
}

// TestPathSafetyWorkiva: whatever an id holds, it travels as exactly one
// escaped path segment in its place; the request's query and the other
// segments are untouched, and the fake answers 404 for the unknown id (so
// the request reached the route it was meant for).
func TestPathSafetyWorkiva(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	t.Cleanup(srv.Close)
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL), workiva.WithRetryPolicy(workiva.NoRetries),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	org, ws := workivatest.OrganizationID, workivatest.WorkspaceC // WorkspaceC holds "+", "/" and "="
	ops := []struct {
		name string
		call func(id string) error
		want func(id string) []string
	}{
		{"GetActivity", func(id string) error { _, err := c.GetActivity(ctx, id); return err },
			func(id string) []string { return []string{"activities", id} }},
		{"GetActivityAction", func(id string) error { _, err := c.GetActivityAction(ctx, id); return err },
			func(id string) []string { return []string{"activityActions", id} }},
		{"ListOrganizationActivities", func(id string) error {
			_, err := credWalk(c.ListOrganizationActivities(ctx, id, nil).All())
			return err
		}, func(id string) []string { return []string{"organizations", id, "activities"} }},
		{"ListWorkspaceActivities org", func(id string) error {
			_, err := credWalk(c.ListWorkspaceActivities(ctx, id, ws, nil).All())
			return err
		}, func(id string) []string { return []string{"organizations", id, "workspaces", ws, "activities"} }},
		{"ListWorkspaceActivities workspace", func(id string) error {
			_, err := credWalk(c.ListWorkspaceActivities(ctx, org, id, nil).All())
			return err
		}, func(id string) []string { return []string{"organizations", org, "workspaces", id, "activities"} }},
	}
	for _, op := range ops {
		for _, id := range credHostileIDs {
			srv.ResetRequests()
			err := op.call(id)
			reqs := srv.Requests()
			if id == "." || id == ".." {
				// Issue 13: a URL normaliser turns these into path steps even
				// percent-encoded, so the SDK refuses them before sending.
				var ve *workiva.ValidationError
				if !errors.As(err, &ve) || len(reqs) != 0 {
					t.Errorf("%s(%q): %v and %d requests, want a *ValidationError and none", op.name, id, err, len(reqs))
				}
				continue
			}
			if len(reqs) != 1 {
				t.Errorf("%s(%q): %d requests, want 1", op.name, id, len(reqs))
				continue
			}
			r := reqs[0]
			got, want := credSegments(t, r.RawPath), op.want(id)
			if strings.Join(got, "\x1f") != strings.Join(want, "\x1f") || len(got) != len(want) {
				t.Errorf("%s(%q): path %q has segments %q, want %q", op.name, id, r.RawPath, got, want)
			}
			// Issue 15: the activity lists send ascending order, the order
			// a feed continues in; nothing else may reach the query.
			if r.RawQuery != "" && !(strings.HasSuffix(op.name, "Activities") || strings.Contains(op.name, "Activities ")) {
				t.Errorf("%s(%q): query %q, want none", op.name, id, r.RawQuery)
			} else if r.RawQuery != "" && r.RawQuery != "$orderBy=activityDateTime+asc" {
				t.Errorf("%s(%q): query %q, want only the ascending order", op.name, id, r.RawQuery)
			}
			if !errors.Is(err, workiva.ErrNotFound) {
				t.Errorf("%s(%q): error %v, want ErrNotFound from the intended route", op.name, id, err)
			}
		}
	}
}

// TestBadInputWorkiva: every field of ListActivitiesParams and
// ListActivityActionsParams and every id, one invalid value at a time.
func TestBadInputWorkiva(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	t.Cleanup(srv.Close)
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	org, ws := workivatest.OrganizationID, workivatest.WorkspaceA
	orgList := srv.URL + "/organizations/" + org + "/activities"
	var cases []credBadCase
	lists := map[string]func(ctx context.Context, p *workiva.ListActivitiesParams) error{
		"org": func(ctx context.Context, p *workiva.ListActivitiesParams) error {
			_, err := credWalk(c.ListOrganizationActivities(ctx, org, p).All())
			return err
		},
		"workspace": func(ctx context.Context, p *workiva.ListActivitiesParams) error {
			_, err := credWalk(c.ListWorkspaceActivities(ctx, org, ws, p).All())
			return err
		},
	}
	for name, list := range lists {
		for _, v := range []struct {
			field string
			p     workiva.ListActivitiesParams
		}{
			{"PageSize", workiva.ListActivitiesParams{PageSize: -1}},
			{"PageSize", workiva.ListActivitiesParams{PageSize: workiva.MaxPageSize + 1}},
			{"PageSize", workiva.ListActivitiesParams{PageSize: math.MinInt}},
			{"Filter", workiva.ListActivitiesParams{Filter: " "}},
			{"Filter", workiva.ListActivitiesParams{Filter: "\t\n"}},
			{"Filter", workiva.ListActivitiesParams{Filter: "action.alias eq 'x'\x00"}},
			{"Filter", workiva.ListActivitiesParams{Filter: "action.alias eq 'x'\r\nX-Evil: 1"}},
			{"OrderBy", workiva.ListActivitiesParams{OrderBy: "  "}},
			{"OrderBy", workiva.ListActivitiesParams{OrderBy: "activityDateTime asc\n"}},
			{"OrderBy", workiva.ListActivitiesParams{OrderBy: "activityDateTime\x7f"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "http://127.0.0.2:1/organizations/" + org + "/activities?$next=x"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: srv.URL + "/activityActions?$next=x"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "/activityActions?$next=x"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "abc\x00def"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "abc\ndef"}},
		} {
			p := v.p
			cases = append(cases, credBadCase{name + " " + v.field + " " + strings.ReplaceAll(p.Filter+p.OrderBy+p.PageToken, "\x00", "NUL"),
				v.field, func(ctx context.Context) error { return list(ctx, &p) }})
		}
	}
	for _, v := range []struct {
		field string
		p     workiva.ListActivityActionsParams
	}{
		{"PageSize", workiva.ListActivityActionsParams{PageSize: -5}},
		{"PageSize", workiva.ListActivityActionsParams{PageSize: 1001}},
		{"OrderBy", workiva.ListActivityActionsParams{OrderBy: "\t"}},
		{"OrderBy", workiva.ListActivityActionsParams{OrderBy: "name\x00"}},
		{"PageToken", workiva.ListActivityActionsParams{PageToken: orgList + "?$next=x"}},
		{"PageToken", workiva.ListActivityActionsParams{PageToken: "https://127.0.0.1:1/activityActions?$next=x"}},
		{"PageToken", workiva.ListActivityActionsParams{PageToken: "x\x01"}},
	} {
		p := v.p
		cases = append(cases, credBadCase{"actions " + v.field, v.field, func(ctx context.Context) error {
			_, err := credWalk(c.ListActivityActions(ctx, &p).All())
			return err
		}})
	}
	for _, id := range []string{"", " ", "\t", "\n"} {
		cases = append(cases,
			credBadCase{"GetActivity " + id, "activityID", func(ctx context.Context) error { _, err := c.GetActivity(ctx, id); return err }},
			credBadCase{"GetActivityAction " + id, "activityActionID", func(ctx context.Context) error {
				_, err := c.GetActivityAction(ctx, id)
				return err
			}},
			credBadCase{"ListOrganizationActivities " + id, "organizationID", func(ctx context.Context) error {
				_, err := credWalk(c.ListOrganizationActivities(ctx, id, nil).All())
				return err
			}},
			credBadCase{"ListWorkspaceActivities org " + id, "organizationID", func(ctx context.Context) error {
				_, err := credWalk(c.ListWorkspaceActivities(ctx, id, ws, nil).All())
				return err
			}},
			credBadCase{"ListWorkspaceActivities workspace " + id, "workspaceID", func(ctx context.Context) error {
				_, err := credWalk(c.ListWorkspaceActivities(ctx, org, id, nil).All())
				return err
			}},
		)
	}
	credRunBad(t, "workiva", srv.RequestCount, cases)
}

func credWorkivaRig(tokenSource bool) func(t *testing.T) *credRig {
	return func(t *testing.T) *credRig {
		srv := workivatest.NewServer(workivatest.WithNextLink(workivatest.NextLinkPath))
		t.Cleanup(srv.Close)
		px := credNewProxy(t, srv.URL)
		const wrongSecret = "workiva-wrong-secret-9d8c7b6a"
		const wrongToken = "workiva-user-token-bogus-5c4b3a"
		static := []string{workivatest.ClientSecret, credBasic(workivatest.ClientID, workivatest.ClientSecret),
			wrongSecret, credBasic(workivatest.ClientID, wrongSecret)}
		var userToken string
		if tokenSource {
			// A token the user's program obtained on its own.
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: tr})
			cc := clientcredentials.Config{ClientID: workivatest.ClientID, ClientSecret: workivatest.ClientSecret,
				TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}
			tok, err := cc.Token(ctx)
			if err != nil {
				t.Fatalf("getting a token from the fake: %T", err)
			}
			userToken = tok.AccessToken
			static = append(static, userToken, wrongToken)
		}
		newClient := func(base string, wrong bool, log *slog.Logger, extra ...workiva.Option) (*workiva.Client, error) {
			opts := []workiva.Option{workiva.WithBaseURL(base), workiva.WithLogger(log), workiva.WithRetryPolicy(workiva.RetryPolicy(credFastRetry))}
			switch {
			case tokenSource && wrong:
				opts = append(opts, workiva.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: wrongToken})))
			case tokenSource:
				opts = append(opts, workiva.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: userToken})))
			case wrong:
				opts = append(opts, workiva.WithClientCredentials(workivatest.ClientID, wrongSecret))
			default:
				opts = append(opts, workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
			}
			return workiva.NewClient(append(opts, extra...)...)
		}
		ops := func(ctx context.Context, c *workiva.Client) error {
			for _, err := range c.ListOrganizationActivities(ctx, workivatest.OrganizationID, &workiva.ListActivitiesParams{PageSize: 100}).All() {
				if err != nil {
					return err
				}
			}
			if _, err := c.GetActivity(ctx, workivatest.ActivityID(3)); err != nil {
				return err
			}
			for _, err := range c.ListActivityActions(ctx, nil).All() {
				if err != nil {
					return err
				}
			}
			return nil
		}
		rig := &credRig{
			fake: srv, proxy: px, base: px.URL, static: static,
			call: func(ctx context.Context, base string, wrong bool, log *slog.Logger) error {
				c, err := newClient(base, wrong, log)
				if err != nil {
					return err
				}
				return ops(ctx, c)
			},
			bad: func(ctx context.Context, base string, log *slog.Logger) error {
				c, err := newClient(base, false, log)
				if err != nil {
					return err
				}
				_, err = credWalk(c.ListOrganizationActivities(ctx, workivatest.OrganizationID, &workiva.ListActivitiesParams{PageSize: -1}).All())
				return err
			},
		}
		if !tokenSource {
			rig.tokenPath = workivatest.TokenPath
			px.keepPrivate(workivatest.TokenPath)
			rig.withTokenURL = func(ctx context.Context, tokenURL string, log *slog.Logger) error {
				c, err := newClient(px.URL, false, log, workiva.WithTokenURL(tokenURL))
				if err != nil {
					return err
				}
				return ops(ctx, c)
			}
		}
		return rig
	}
}

func faultWorkivaClient(s faultSettings) (*workiva.Client, error) {
	opts := []workiva.Option{workiva.WithBaseURL(s.baseURL), workiva.WithRetryPolicy(s.retry),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret)}
	if s.hc != nil {
		opts = append(opts, workiva.WithHTTPClient(s.hc))
	}
	if s.rate > 0 {
		opts = append(opts, workiva.WithRateLimit(s.rate, s.burst))
	}
	if s.maxBody > 0 {
		opts = append(opts, workiva.WithMaxBodyBytes(s.maxBody))
	}
	return workiva.NewClient(opts...)
}
