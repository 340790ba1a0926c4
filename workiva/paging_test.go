package workiva_test

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

func ids(items []workiva.Activity) []string {
	out := make([]string, len(items))
	for i, a := range items {
		out[i] = a.ID
	}
	return out
}

func idRange(from, to, step int) []string {
	var out []string
	if step > 0 {
		for i := from; i < to; i += step {
			out = append(out, workivatest.ActivityID(i))
		}
	} else {
		for i := from; i > to; i += step {
			out = append(out, workivatest.ActivityID(i))
		}
	}
	return out
}

func TestNextLinkForms(t *testing.T) {
	t.Parallel()
	since := workivatest.DefaultStart.Add(100 * time.Minute)
	filter := workiva.ActivityDateTime(workiva.OpGe, since).String()
	for name, form := range map[string]workivatest.NextLinkForm{
		"url": workivatest.NextLinkURL, "path": workivatest.NextLinkPath, "token": workivatest.NextLinkToken,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t, workivatest.WithNextLink(form))
			params := &workiva.ListActivitiesParams{Filter: filter, OrderBy: workiva.OrderByActivityDateTimeDesc, PageSize: 40}
			var sizes []int
			var got []workiva.Activity
			for p, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, params).Pages() {
				require.NoError(t, err)
				sizes = append(sizes, len(p.Items))
				got = append(got, p.Items...)
				if len(got) < 150 {
					require.NotEmpty(t, p.NextPageToken)
				}
			}
			assert.Equal(t, []int{40, 40, 40, 30}, sizes)
			assert.Equal(t, idRange(249, 99, -1), ids(got))

			reqs := srv.Requests()
			require.Len(t, reqs, 4)
			path := "/organizations/" + workivatest.OrganizationID + "/activities"
			assert.Equal(t, "$filter="+url.QueryEscape(filter)+"&$maxpagesize=40&$orderBy=activityDateTime+desc", reqs[0].RawQuery)
			for _, r := range reqs {
				assert.Equal(t, path, r.RawPath)
				assert.Equal(t, filter, r.Query.Get("$filter"))
				assert.Equal(t, "activityDateTime desc", r.Query.Get("$orderBy"))
				assert.Equal(t, "40", r.Query.Get("$maxpagesize"))
				assert.NotContains(t, r.RawQuery, "%24", "$ names go literally")
				assert.Equal(t, "2026-01-01", r.Header.Get("X-Version"))
				assert.NotEmpty(t, r.Header.Get("Authorization"))
			}
			for _, r := range reqs[1:] {
				assert.NotEmpty(t, r.Query.Get("$next"))
			}
		})
	}
}

func TestLongWalkOutlivesTokens(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, workivatest.WithActivities(5000), workivatest.WithNextLink(workivatest.NextLinkToken))
	var got []string
	pages := 0
	for p, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{PageSize: 100}).Pages() {
		require.NoError(t, err)
		pages++
		got = append(got, ids(p.Items)...)
		if pages%20 == 0 {
			srv.ExpireTokens() // the token the client holds dies mid-walk
		}
	}
	assert.Equal(t, 50, pages)
	assert.Equal(t, idRange(0, 5000, 1), got)
	assert.Equal(t, 3, srv.TokensIssued(), "one token, then one refresh after each expiry")
	for _, r := range srv.Requests() {
		if r.Header.Get("Authorization") == "" {
			t.Fatal("request without a token")
		}
	}
	assert.Len(t, srv.Requests(), 52, "50 pages plus one rejected attempt per expiry")
}

func TestTokenExpiresByServerClock(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	srv, c := newFake(t, workivatest.WithActivities(3000), workivatest.WithClock(clock))
	n := 0
	for a, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{PageSize: 500}).All() {
		require.NoError(t, err)
		require.Equal(t, workivatest.ActivityID(n), a.ID)
		n++
		if n%1000 == 0 {
			skew.Add(int64(11 * time.Minute)) // the 10-minute token is now dead on the server
		}
	}
	assert.Equal(t, 3000, n)
	assert.Equal(t, 3, srv.TokensIssued())
}

func TestShortLivedTokensAreRenewedBeforeExpiry(t *testing.T) {
	t.Parallel()
	// One clock for the fake and the client, moved instead of slept through.
	var elapsed atomic.Int64
	clock := func() time.Time {
		return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(elapsed.Load()))
	}
	srv := workivatest.NewServer(workivatest.WithTokenLifetime(time.Second), workivatest.WithActivities(40), workivatest.WithClock(clock))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, workiva.WithClock(clock))
	n := 0
	for _, err := range c.ListActivityActions(context.Background(), &workiva.ListActivityActionsParams{PageSize: 1}).All() {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 13, n)
	assert.Equal(t, 1, srv.TokensIssued(), "a 1s token is cached for most of its life")
	elapsed.Add(int64(950 * time.Millisecond))
	_, err := c.GetActivityAction(context.Background(), "com.workiva.iam.user.login")
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokensIssued(), "renewed before it expired")
	for _, r := range srv.Requests() {
		assert.Nil(t, r.Fault)
	}
}

func TestResumeFromSavedPageToken(t *testing.T) {
	t.Parallel()
	for _, form := range []workivatest.NextLinkForm{workivatest.NextLinkURL, workivatest.NextLinkPath, workivatest.NextLinkToken} {
		srv := workivatest.NewServer(workivatest.WithActivities(1000), workivatest.WithNextLink(form))
		defer srv.Close()
		params := workiva.ListActivitiesParams{PageSize: 20, Filter: workiva.ActionAlias("user_login").String()}
		var first []string
		var saved string
		c1 := newClient(t, srv)
		for p, err := range c1.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, &params).Pages() {
			require.NoError(t, err)
			first = append(first, ids(p.Items)...)
			saved = p.NextPageToken
			break
		}
		require.NotEmpty(t, saved)

		// Another process: a new client, the saved token.
		c2 := newClient(t, srv)
		params.PageToken = saved
		rest, err := c2.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, &params).Collect()
		require.NoError(t, err)

		var want []string
		for i := 0; i < 1000; i++ {
			if workivatest.Actions()[(7*i)%13].Alias == "user_login" {
				want = append(want, workivatest.ActivityID(i))
			}
		}
		assert.Equal(t, want, append(first, ids(rest)...), "form %d", form)
	}
}

func TestForeignNextLinkRefused(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, workivatest.WithNextLinkBase("https://evil.example"))
	var items int
	var gotErr error
	for _, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{PageSize: 10}).All() {
		if err != nil {
			gotErr = err
			break
		}
		items++
	}
	assert.Equal(t, 10, items, "the first page is served")
	require.ErrorIs(t, gotErr, workiva.ErrForeignLink)
	assert.Contains(t, gotErr.Error(), "evil.example")
	assert.Len(t, srv.Requests(), 1)

	// The same link given back as a PageToken is refused before any request.
	srv.ResetRequests()
	_, err := c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{PageToken: "https://evil.example/organizations/x/activities?$next=abc"}).Collect()
	var ve *workiva.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "PageToken", ve.Field)
	assert.ErrorIs(t, err, workiva.ErrForeignLink)
	assert.Empty(t, srv.Requests())
}

func TestFilterAgainstFake(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, workivatest.WithActivities(2000))
	from := workivatest.DefaultStart.Add(300 * time.Minute)
	to := workivatest.DefaultStart.Add(1500 * time.Minute)
	perf := workivatest.PerformerIDs()[2]
	f := workiva.And(
		workiva.Or(workiva.ActionAliasIn("user_login", "user_logout"), workiva.PerformerID(perf)),
		workiva.Between(from, to),
	)
	require.NoError(t, f.Err())
	items, err := c.ListWorkspaceActivities(context.Background(), workivatest.OrganizationID, workivatest.WorkspaceA,
		&workiva.ListActivitiesParams{Filter: f.String(), PageSize: 25}).Collect()
	require.NoError(t, err)

	var want []string
	for i := 300; i < 1500; i++ {
		alias := workivatest.Actions()[(7*i)%13].Alias
		if i%4 == 0 && (alias == "user_login" || alias == "user_logout" || (i/3)%5 == 2) {
			want = append(want, workivatest.ActivityID(i))
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, ids(items))
	assert.Equal(t, f.String(), srv.Requests()[0].Query.Get("$filter"))
}

func TestFilterRejectedByServer(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	_, err := c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{Filter: "summary eq 'x'"}).Collect()
	var ae *workiva.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 400, ae.StatusCode)
	assert.Equal(t, "InvalidFilter", ae.Code)
	assert.Equal(t, "$filter", ae.Target)
	require.Len(t, ae.Details, 1)
	assert.Equal(t, workiva.ErrorDetail{Code: "InvalidFilter", Message: `filtering on "summary" is not supported`, Target: "summary"}, ae.Details[0])

	_, err = c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{OrderBy: "name desc"}).Collect()
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "$orderBy", ae.Target)
	assert.Equal(t, "InvalidOrder", ae.Details[0].Code)
}

func TestReadAheadKeepsOrder(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer(workivatest.WithActivities(3000))
	defer srv.Close()
	c := newClient(t, srv, workiva.WithReadAhead(3))
	items, err := c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{PageSize: 250}).Collect()
	require.NoError(t, err)
	assert.Equal(t, idRange(0, 3000, 1), ids(items))
}

func TestEmptyList(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, workivatest.WithActivities(0))
	items, err := c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, nil).Collect()
	require.NoError(t, err)
	assert.Empty(t, items)
}

func TestPagesSurviveFaults(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer(workivatest.WithActivities(600))
	defer srv.Close()
	c := newClient(t, srv, workiva.WithRetryPolicy(workiva.RetryPolicy{MaxRetries: 8, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	srv.FailRandomly(0.3, 7, workivatest.AllFaults(10*time.Millisecond, 5*time.Millisecond)...)
	items, err := c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{PageSize: 100}).Collect()
	require.NoError(t, err)
	assert.Equal(t, idRange(0, 600, 1), ids(items))
	faults := 0
	for _, r := range srv.Requests() {
		if r.Fault != nil {
			faults++
		}
	}
	assert.Positive(t, faults)
	assert.Equal(t, 1, srv.TokensIssued(), "faults do not reach the token endpoint")
	for _, r := range srv.TokenRequests() {
		assert.Nil(t, r.Fault)
	}
	assert.True(t, strings.HasPrefix(srv.TokenURL(), srv.URL))
}

func BenchmarkWalk100k(b *testing.B) {
	srv := workivatest.NewServer(workivatest.WithActivities(100_000))
	defer srv.Close()
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	require.NoError(b, err)
	for b.Loop() {
		n := 0
		for _, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, nil).All() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatal(n)
		}
	}
}
