package analytics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
	"github.com/activitysdk/activity-go/internal/contract"
)

var fastRetries = analytics.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// newFake starts a fake and a client for it (base URL with the API's /v2
// path, so a path that ignored the base path would show in the log).
func newFake(t *testing.T, opts ...analyticstest.Option) (*analyticstest.Server, *analytics.Client) {
	t.Helper()
	srv := analyticstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	contract.Bind(t, srv.URL)
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL+analyticstest.BasePath),
		analytics.WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	return srv, c
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const activityPath = "/v2/clients/" + analyticstest.ClientID + "/analytics/users/" + analyticstest.UserID + "/activity"
