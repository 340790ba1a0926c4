package reliability_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/internal/paging"
)

// This file is activtrak's entry in the cross-provider suites: its credential
// rigs, walks, redirect calls and invalid options (see providers_test.go),
// and its own bad-input tests.

func activtrakProvider() provider {
	return provider{
		name: "activtrak",
		rigs: []credRigCase{
			{"activtrak/api-key", credActivTrakRig},
		},
		walks: []faultProvider{
			{
				name: "activtrak/activitylog", paged: true, faultScale: faultScale{pages: 101, pageSize: 100},
				start: func(sc faultScale, _ bool) (faultServer, string) {
					srv := activtraktest.NewServer(activtraktest.WithDays(sc.pages), activtraktest.WithRecordsPerDay(sc.pageSize))
					return srv, srv.URL
				},
				each: func(ctx context.Context, s faultSettings, sc faultScale, yield func(faultItem) bool) error {
					c, err := faultActivtrakClient(s)
					if err != nil {
						return err
					}
					p := c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: faultActivtrakStart,
						EndDate: faultActivtrakStart.AddDate(0, 0, sc.pages-1), PageSize: sc.pageSize})
					return faultRange((*paging.Pager[activtrak.ActivityLogEntry])(p), s.readAhead, func(e activtrak.ActivityLogEntry) string { return strconv.FormatInt(e.LogID, 10) }, yield)
				},
			},
			{
				name: "activtrak/workinghours", paged: true, faultScale: faultScale{pages: 100, pageSize: 100},
				start: func(sc faultScale, _ bool) (faultServer, string) {
					srv := activtraktest.NewServer(activtraktest.WithUsers(max(1, sc.pageSize/2)), activtraktest.WithDays(2*sc.pages+1))
					return srv, srv.URL
				},
				each: func(ctx context.Context, s faultSettings, sc faultScale, yield func(faultItem) bool) error {
					c, err := faultActivtrakClient(s)
					if err != nil {
						return err
					}
					p := c.ListUserWorkingHours(ctx, &activtrak.WorkingHoursParams{From: faultActivtrakStart,
						To: faultActivtrakStart.AddDate(0, 0, 2*sc.pages), PageSize: sc.pageSize})
					return faultRange((*paging.Pager[activtrak.WorkingHours])(p), s.readAhead, func(w activtrak.WorkingHours) string {
						return fmt.Sprintf("%s/%d/%d", w.Date.Format(time.DateOnly), w.UserID, w.ComputerID)
					}, yield)
				},
			},
		},
		redirects: []credRedirectCall{
			{"activtrak", func(ctx context.Context, base string) error {
				c, err := activtrak.NewClient(activtrak.WithBaseURL(base), activtrak.WithAPIKey(activtraktest.APIKey))
				if err != nil {
					return err
				}
				_, err = credWalk(c.ListActivityLog(ctx, nil).All())
				return err
			}, ""},
		},
		secretCases: func(t *testing.T, sa secretAdder, badURLs []string, s1, s2 string) {
			for _, u := range badURLs {
				sa.add("activtrak WithBaseURL", func() error {
					_, err := activtrak.NewClient(activtrak.WithAPIKey("k-1234"), activtrak.WithBaseURL(u))
					return err
				})
			}
		},
		badOptions: func(add func(string, func() error, ...string), bv badValues) {
			nc := func(opts ...activtrak.Option) func() error {
				return func() error {
					_, err := activtrak.NewClient(append([]activtrak.Option{activtrak.WithAPIKey("k-1234")}, opts...)...)
					return err
				}
			}
			addCommonBadOptions(add, "activtrak", nc, commonOptions[activtrak.Option]{activtrak.WithBaseURL, activtrak.WithHTTPClient,
				activtrak.WithUserAgent, withRetry(activtrak.WithRetryPolicy), activtrak.WithRateLimit}, "a\nb", bv.urls, bv.policies, bv.rates)
			for _, n := range []int{-1, 17} {
				add("activtrak WithReadAhead", nc(activtrak.WithReadAhead(n)), "activtrak: ", "WithReadAhead")
			}
			add("activtrak WithRegion unknown", nc(activtrak.WithRegion("mars")), "activtrak: ", "WithRegion")
			add("activtrak WithAPIKey empty", func() error { _, err := activtrak.NewClient(activtrak.WithAPIKey("")); return err }, "activtrak: ", "WithAPIKey")
			add("activtrak no credentials", func() error { _, err := activtrak.NewClient(); return err }, "activtrak: ", "WithAPIKey", "ACTIVTRAK_API_KEY")
		},
	}
}

// TestBadInputActivTrak: every field of WorkingHoursParams (both
// perspectives) and ActivityLogParams (list and follow), and the follow
// interval.
func TestBadInputActivTrak(t *testing.T) {
	t.Parallel()
	srv := activtraktest.NewServer()
	t.Cleanup(srv.Close)
	c, err := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	day, next := credDay, credDay.AddDate(0, 0, 1)
	wh := func(mod func(*activtrak.WorkingHoursParams)) activtrak.WorkingHoursParams {
		p := activtrak.WorkingHoursParams{From: day, To: next}
		mod(&p)
		return p
	}
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           activtrak.WorkingHoursParams
	}{
		{"From zero", "From", activtrak.WorkingHoursParams{To: next}},
		{"To zero", "To", activtrak.WorkingHoursParams{From: day}},
		{"To before From", "To", wh(func(p *activtrak.WorkingHoursParams) { p.To = day.AddDate(0, 0, -1) })},
		{"To before From across zones", "To", activtrak.WorkingHoursParams{From: time.Date(2024, 6, 3, 1, 0, 0, 0, time.FixedZone("E", 3*3600)),
			To: time.Date(2024, 6, 2, 23, 0, 0, 0, time.UTC)}},
		{"From year 0", "From", wh(func(p *activtrak.WorkingHoursParams) { p.From = credY0 })},
		{"From negative year", "From", wh(func(p *activtrak.WorkingHoursParams) { p.From = credYNeg })},
		{"To year 10000", "To", wh(func(p *activtrak.WorkingHoursParams) { p.To = credY10k })},
		{"UserID -2", "UserID", wh(func(p *activtrak.WorkingHoursParams) { p.UserID = -2 })},
		{"UserID min", "UserID", wh(func(p *activtrak.WorkingHoursParams) { p.UserID = math.MinInt64 })},
		{"GroupID -1", "GroupID", wh(func(p *activtrak.WorkingHoursParams) { p.GroupID = -1 })},
		{"ComputerID -3", "ComputerID", wh(func(p *activtrak.WorkingHoursParams) { p.ComputerID = -3 })},
		{"UserID and GroupID", "", wh(func(p *activtrak.WorkingHoursParams) { p.UserID, p.GroupID = 1001, 1 })},
		{"all three ids", "", wh(func(p *activtrak.WorkingHoursParams) { p.UserID, p.GroupID, p.ComputerID = -1, 1, 2001 })},
		{"PageSize -1", "PageSize", wh(func(p *activtrak.WorkingHoursParams) { p.PageSize = -1 })},
		{"PageSize 1001", "PageSize", wh(func(p *activtrak.WorkingHoursParams) { p.PageSize = activtrak.MaxPageSize + 1 })},
		{"PageToken word", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "abc" })},
		{"PageToken 0", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "0" })},
		{"PageToken -1", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "-1" })},
		{"PageToken 1.5", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "1.5" })},
		{"PageToken huge", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "99999999999999999999999" })},
		{"PageToken URL", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "http://127.0.0.2/?page=2" })},
	} {
		p := v.p
		cases = append(cases,
			credBadCase{"users " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.ListUserWorkingHours(ctx, &p).All())
				return err
			}},
			credBadCase{"computers " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.ListComputerWorkingHours(ctx, &p).All())
				return err
			}})
	}
	cases = append(cases, credBadCase{"users nil params", "", func(ctx context.Context) error {
		_, err := credWalk(c.ListUserWorkingHours(ctx, nil).All())
		return err
	}})
	for _, v := range []struct {
		name, field string
		p           activtrak.ActivityLogParams
	}{
		{"EndDate before StartDate", "EndDate", activtrak.ActivityLogParams{StartDate: next, EndDate: day}},
		{"StartDate year 0", "StartDate", activtrak.ActivityLogParams{StartDate: credY0}},
		{"StartDate negative year", "StartDate", activtrak.ActivityLogParams{StartDate: credYNeg}},
		{"EndDate year 10000", "EndDate", activtrak.ActivityLogParams{EndDate: credY10k}},
		{"EndDate year 0", "EndDate", activtrak.ActivityLogParams{EndDate: credY0}},
		{"UserID -2", "UserID", activtrak.ActivityLogParams{UserID: -2}},
		{"GroupID -7", "GroupID", activtrak.ActivityLogParams{GroupID: -7}},
		{"ComputerID -1", "ComputerID", activtrak.ActivityLogParams{ComputerID: -1}},
		{"GroupID and ComputerID", "", activtrak.ActivityLogParams{GroupID: 1, ComputerID: 2001}},
		{"PageSize -1", "PageSize", activtrak.ActivityLogParams{PageSize: -1}},
		{"PageSize max+1", "PageSize", activtrak.ActivityLogParams{PageSize: math.MaxInt}},
	} {
		p := v.p
		cases = append(cases,
			credBadCase{"log " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.ListActivityLog(ctx, &p).All())
				return err
			}},
			credBadCase{"follow " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.FollowActivityLog(ctx, &p, time.Second))
				return err
			}})
	}
	for _, iv := range []time.Duration{0, -1, -time.Hour, math.MinInt64} {
		cases = append(cases, credBadCase{"follow interval " + iv.String(), "interval", func(ctx context.Context) error {
			_, err := credWalk(c.FollowActivityLog(ctx, nil, iv))
			return err
		}})
	}
	credRunBad(t, "activtrak", srv.RequestCount, cases)
}

func credActivTrakRig(t *testing.T) *credRig {
	const key, wrongKey = "activtrak-secret-key-5e6f7a8b", "activtrak-wrong-key-1c2d3e4f"
	srv := activtraktest.NewServer(activtraktest.WithAPIKey(key), activtraktest.WithDays(2), activtraktest.WithRecordsPerDay(30))
	t.Cleanup(srv.Close)
	px := credNewProxy(t, srv.URL)
	newClient := func(base string, wrong bool, log *slog.Logger) (*activtrak.Client, error) {
		k := key
		if wrong {
			k = wrongKey
		}
		return activtrak.NewClient(activtrak.WithBaseURL(base), activtrak.WithAPIKey(k), activtrak.WithLogger(log),
			activtrak.WithRetryPolicy(activtrak.RetryPolicy(credFastRetry)))
	}
	return &credRig{
		fake: srv, proxy: px, base: px.URL, static: []string{key, wrongKey},
		call: func(ctx context.Context, base string, wrong bool, log *slog.Logger) error {
			c, err := newClient(base, wrong, log)
			if err != nil {
				return err
			}
			for _, err := range c.ListUserWorkingHours(ctx, &activtrak.WorkingHoursParams{From: srv.StartDate(), To: srv.EndDate(), PageSize: 4}).All() {
				if err != nil {
					return err
				}
			}
			for _, err := range c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: srv.StartDate(), PageSize: 25}).All() {
				if err != nil {
					return err
				}
			}
			return nil
		},
		bad: func(ctx context.Context, base string, log *slog.Logger) error {
			c, err := newClient(base, false, log)
			if err != nil {
				return err
			}
			_, err = credWalk(c.ListUserWorkingHours(ctx, nil).All())
			return err
		},
	}
}

func faultActivtrakClient(s faultSettings) (*activtrak.Client, error) {
	opts := []activtrak.Option{activtrak.WithBaseURL(s.baseURL), activtrak.WithRetryPolicy(activtrak.RetryPolicy(s.retry)),
		activtrak.WithAPIKey(activtraktest.APIKey)}
	if s.hc != nil {
		opts = append(opts, activtrak.WithHTTPClient(s.hc))
	}
	if s.rate > 0 {
		opts = append(opts, activtrak.WithRateLimit(s.rate, s.burst))
	}
	if s.maxBody > 0 {
		opts = append(opts, activtrak.WithMaxBodyBytes(s.maxBody))
	}
	return activtrak.NewClient(opts...)
}
