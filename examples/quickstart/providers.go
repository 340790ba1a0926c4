package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"sync"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

func runWorkiva(ctx context.Context) []result {
	live, partial := needAll("WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET", "WORKIVA_ORGANIZATION_ID")
	org := os.Getenv("WORKIVA_ORGANIZATION_ID")
	var retries []workiva.Event
	var mu sync.Mutex
	opts := []workiva.Option{workiva.WithEventHook(func(_ context.Context, e workiva.Event) {
		if e.Kind == workiva.EventRetry {
			mu.Lock()
			retries = append(retries, e)
			mu.Unlock()
		}
	})}
	var srv *workivatest.Server
	if !live {
		srv = workivatest.NewServer(workivatest.WithActivities(2500))
		defer srv.Close()
		org = workivatest.OrganizationID
		opts = append(opts, workiva.WithBaseURL(srv.URL), workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	}
	base := result{provider: "workiva", source: sourceName(live)}
	c, err := workiva.NewClient(opts...)
	if err != nil {
		return []result{withErr(base, "NewClient", err, partial)}
	}
	var firstID, checkpoint string
	list := named(base, "ListOrganizationActivities")
	timedInPlace(&list, func() (int, int, error) {
		items, pages := 0, 0
		for page, err := range c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{PageSize: 500}).Pages() {
			if err != nil {
				return items, pages, err
			}
			if firstID == "" && len(page.Items) > 0 {
				firstID = page.Items[0].ID
			}
			for _, a := range page.Items {
				if len(list.notes) < 3 {
					list.notes = append(list.notes, describeWorkiva(a))
				}
			}
			items, pages = items+len(page.Items), pages+1
			checkpoint = page.Checkpoint // stored after the page's records
			if live && items >= 2000 {
				break // enough to show it works
			}
		}
		return items, pages, nil
	})
	// The next run continues the feed from the checkpoint: only what is new.
	next := named(base, "ListOrganizationActivities (next run, from the checkpoint)")
	timedInPlace(&next, func() (int, int, error) {
		if srv != nil {
			newest := srv.ActivityTime(2499)
			srv.AppendActivities(newest.Add(time.Minute), newest.Add(-10*time.Minute), newest.Add(2*time.Minute))
			next.notes = append(next.notes, "the fake recorded 3 activities since (one stamped 10 minutes before the newest already read)")
		}
		items, pages := 0, 0
		for page, err := range c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{PageSize: 500, Checkpoint: checkpoint}).Pages() {
			if err != nil {
				return items, pages, err
			}
			for _, a := range page.Items {
				if len(next.notes) < 6 {
					next.notes = append(next.notes, describeWorkiva(a))
				}
			}
			items, pages = items+len(page.Items), pages+1
		}
		return items, pages, nil
	})
	get := named(base, "GetActivity")
	timedInPlace(&get, func() (int, int, error) {
		if firstID == "" {
			return 0, 0, errors.New("no activity to get")
		}
		if srv != nil {
			srv.FailNext(workivatest.Fault503) // the fake answers the next request with a 503
		}
		a, err := c.GetActivity(ctx, firstID)
		if err != nil {
			return 0, 0, err
		}
		mu.Lock()
		for _, e := range retries {
			get.notes = append(get.notes, fmt.Sprintf("retry %d after %s (%s), seen by the event hook", e.Attempt, e.Wait.Round(time.Millisecond), e.Reason))
		}
		mu.Unlock()
		get.notes = append(get.notes, "then: "+describeWorkiva(*a))
		return 1, 0, nil
	})
	actions := timed(named(base, "ListActivityActions"), func() (int, int, error) {
		items, pages := 0, 0
		for page, err := range c.ListActivityActions(ctx, nil).Pages() {
			if err != nil {
				return items, pages, err
			}
			items, pages = items+len(page.Items), pages+1
		}
		return items, pages, nil
	})
	return []result{list, next, get, actions}
}

func describeWorkiva(a workiva.Activity) string {
	return fmt.Sprintf("%s  %-14s %s", a.ActivityDateTime.Format(time.RFC3339), a.Action.Alias, a.Summary)
}

func runActivTrak(ctx context.Context) []result {
	live := os.Getenv("ACTIVTRAK_API_KEY") != ""
	var opts []activtrak.Option
	from := time.Now().AddDate(0, 0, -7)
	to := time.Now()
	if !live {
		srv := activtraktest.NewServer(activtraktest.WithDays(14), activtraktest.WithRecordsPerDay(250))
		defer srv.Close()
		from, to = srv.StartDate(), srv.EndDate()
		opts = append(opts, activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
	}
	base := result{provider: "activtrak", source: sourceName(live)}
	c, err := activtrak.NewClient(opts...)
	if err != nil {
		return []result{withErr(base, "NewClient", err, false)}
	}
	logs := named(base, "ListActivityLog")
	timedInPlace(&logs, func() (int, int, error) {
		items, pages := 0, 0
		for page, err := range c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: from, EndDate: to, PageSize: 500}).Pages() {
			if err != nil {
				return items, pages, err
			}
			for _, e := range page.Items {
				if len(logs.notes) < 3 {
					logs.notes = append(logs.notes, fmt.Sprintf("%s  log %d  %s on %s: %s (%gs)", e.Time.Format(time.RFC3339), e.LogID, e.User, e.Computer, e.Executable, e.Duration))
				}
			}
			items, pages = items+len(page.Items), pages+1
		}
		return items, pages, nil
	})
	hours := timed(named(base, "ListUserWorkingHours"), func() (int, int, error) {
		return countPages(c.ListUserWorkingHours(ctx, &activtrak.WorkingHoursParams{From: from, To: to}).Pages())
	})
	return []result{logs, hours}
}

func runSDElements(ctx context.Context) []result {
	live, partial := needAll("SDE_BASE_URL", "SDE_API_TOKEN")
	var opts []sdelements.Option
	if !live {
		srv := sdelementstest.NewServer(sdelementstest.WithActivities(1200))
		defer srv.Close()
		opts = append(opts, sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	}
	base := result{provider: "sdelements", source: sourceName(live)}
	c, err := sdelements.NewClient(opts...)
	if err != nil {
		return []result{withErr(base, "NewClient", err, partial)}
	}
	var firstID int64
	list := named(base, "ListActivities")
	timedInPlace(&list, func() (int, int, error) {
		items, pages := 0, 0
		for page, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 200}).Pages() {
			if err != nil {
				return items, pages, err
			}
			if firstID == 0 && len(page.Items) > 0 {
				firstID = page.Items[0].ID
			}
			for _, a := range page.Items {
				if len(list.notes) < 3 {
					list.notes = append(list.notes, fmt.Sprintf("%s  #%d %s: %s", a.Date.Format(time.RFC3339), a.ID, a.Name, a.Text))
				}
			}
			items, pages = items+len(page.Items), pages+1
			if live && items >= 2000 {
				break
			}
		}
		return items, pages, nil
	})
	get := timed(named(base, "GetActivity"), func() (int, int, error) {
		if firstID == 0 {
			return 0, 0, errors.New("no activity to get")
		}
		_, err := c.GetActivity(ctx, firstID)
		return 1, 0, err
	})
	return []result{list, get}
}

func runClose(ctx context.Context) []result {
	live := os.Getenv("CLOSE_API_KEY") != ""
	var opts []closeapi.Option
	params := &closeapi.ActivityReportParams{
		Type:          closeapi.ReportOverview,
		Metrics:       []string{"calls.outbound.all.count", "emails.sent.all.count"},
		RelativeRange: closeapi.RangeLastMonth,
	}
	if !live {
		srv := closetest.NewServer()
		defer srv.Close()
		opts = append(opts, closeapi.WithBaseURL(srv.URL), closeapi.WithAPIKey(closetest.APIKey))
	}
	base := result{provider: "close", source: sourceName(live)}
	c, err := closeapi.NewClient(opts...)
	if err != nil {
		return []result{withErr(base, "NewClient", err, false)}
	}
	report := named(base, "GetActivityReport")
	timedInPlace(&report, func() (int, int, error) {
		r, err := c.GetActivityReport(ctx, params)
		if err != nil {
			return 0, 0, err
		}
		for _, row := range r.Rows[:min(3, len(r.Rows))] {
			report.notes = append(report.notes, fmt.Sprintf("%s  calls %g, emails %g", row.Datetime.Format(time.DateOnly),
				row.Values["calls.outbound.all.count"], row.Values["emails.sent.all.count"]))
		}
		return len(r.Rows), 1, nil
	})
	metrics := timed(named(base, "ListActivityMetrics"), func() (int, int, error) {
		ms, err := c.ListActivityMetrics(ctx)
		return len(ms), 1, err
	})
	return []result{report, metrics}
}

func runAnalytics(ctx context.Context) []result {
	live, partial := needAll("ANALYTICS_API_TOKEN", "ANALYTICS_BASE_URL", "ANALYTICS_CLIENT_ID", "ANALYTICS_USER_ID")
	client, user := os.Getenv("ANALYTICS_CLIENT_ID"), os.Getenv("ANALYTICS_USER_ID")
	var opts []analytics.Option
	end := time.Now()
	if !live {
		srv := analyticstest.NewServer()
		defer srv.Close()
		client, user = analyticstest.ClientID, analyticstest.UserID
		end = time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)
		opts = append(opts, analytics.WithBaseURL(srv.URL), analytics.WithToken(analyticstest.Token))
	}
	base := result{provider: "analytics", source: sourceName(live)}
	c, err := analytics.NewClient(opts...)
	if err != nil {
		return []result{withErr(base, "NewClient", err, partial)}
	}
	series := named(base, "GetUserActivity (1 year, daily)")
	timedInPlace(&series, func() (int, int, error) {
		ts, err := c.GetUserActivity(ctx, client, user, &analytics.UserActivityParams{
			StartDate: end.AddDate(-1, 0, 1), EndDate: end, Granularity: analytics.GranularityDaily,
		})
		if err != nil {
			return 0, 0, err
		}
		for _, d := range ts.Data[:min(3, len(ts.Data))] {
			series.notes = append(series.notes, fmt.Sprintf("%s  %s = %g", d.Date.Format(time.DateOnly), ts.Metric, d.Value))
		}
		return len(ts.Data), 1, nil
	})
	// The app utilization table of the last 90 days, walked page by page
	// on the API's cursor (100 apps a page).
	apps := timed(named(base, "ListAppUtilization (90 days)"), func() (int, int, error) {
		return countPages(c.ListAppUtilization(ctx, client, &analytics.AppUtilizationParams{
			StartDate: end.AddDate(0, 0, -89), EndDate: end, PageSize: 100,
		}).Pages())
	})
	return []result{series, apps}
}

func named(r result, op string) result { r.operation = op; return r }

func withErr(r result, op string, err error, partial bool) result {
	r.operation, r.err = op, err
	if partial {
		r.err = errors.New("some of this provider's variables are set, not all: " + err.Error())
	}
	return r
}

// countPages walks a pager's pages and counts items and pages. Every
// provider package's Page type has the same fields, so P is any of them.
func countPages[T any, P interface {
	~struct {
		Items         []T
		NextPageToken string
		Total         *int
		Checkpoint    string
	}
}](seq iter.Seq2[*P, error]) (int, int, error) {
	items, pages := 0, 0
	for page, err := range seq {
		if err != nil {
			return items, pages, err
		}
		items, pages = items+len(workiva.Page[T](*page).Items), pages+1
	}
	return items, pages, nil
}
