package workiva_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/internal/contract"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

var fastRetry = workiva.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// newFake starts a fake and a client for it.
func newFake(t *testing.T, opts ...workivatest.Option) (*workivatest.Server, *workiva.Client) {
	t.Helper()
	srv := workivatest.NewServer(opts...)
	t.Cleanup(srv.Close)
	contract.Bind(t, srv.URL) // its contract violations fail t
	return srv, newClient(t, srv)
}

func newClient(t *testing.T, srv *workivatest.Server, opts ...workiva.Option) *workiva.Client {
	t.Helper()
	base := []workiva.Option{
		workiva.WithBaseURL(srv.URL),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret),
		workiva.WithRetryPolicy(fastRetry),
	}
	c, err := workiva.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}
