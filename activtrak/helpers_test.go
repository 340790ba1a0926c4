package activtrak_test

import (
	"context"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/internal/contract"
)

// fastRetries keeps fault tests quick.
var fastRetries = activtrak.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

func newFake(t *testing.T, opts ...activtraktest.Option) *activtraktest.Server {
	t.Helper()
	srv := activtraktest.NewServer(opts...)
	t.Cleanup(srv.Close)
	contract.Bind(t, srv.URL) // its contract violations fail t
	return srv
}

func newClient(t *testing.T, srv *activtraktest.Server, opts ...activtrak.Option) *activtrak.Client {
	t.Helper()
	all := append([]activtrak.Option{
		activtrak.WithBaseURL(srv.URL),
		activtrak.WithAPIKey(activtraktest.APIKey),
		activtrak.WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := activtrak.NewClient(all...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newEAFake and newEAClient are the fake and a client in the early-access
// contract (WithEarlyAccess on both). The tests written before issue 13 use
// them: their wire assertions (Bearer, userId/computerId, "date") are the
// early-access contract's, which is unchanged.
func newEAFake(t *testing.T, opts ...activtraktest.Option) *activtraktest.Server {
	t.Helper()
	return newFake(t, append([]activtraktest.Option{activtraktest.WithEarlyAccess()}, opts...)...)
}

func newEAClient(t *testing.T, srv *activtraktest.Server, opts ...activtrak.Option) *activtrak.Client {
	t.Helper()
	return newClient(t, srv, append([]activtrak.Option{activtrak.WithEarlyAccess()}, opts...)...)
}
