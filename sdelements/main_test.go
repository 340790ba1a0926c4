package sdelements_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/activitysdk/activity-go/internal/contract"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

// TestMain runs the tests with every sdelementstest fake's traffic validated
// against the SD Elements contract: every request the SDK sends to a fake
// and every answer a fake gives (go test -v, or CONTRACT_COUNTS=1, prints
// the counts).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(contract.Main(m, contract.Docs{"sdelements": contract.File(sdeContract)}))
}

// sdeContract is the OpenAPI description the SDK and sdelementstest follow.
const sdeContract = "testdata/sdelements-activities.openapi.yaml"

// fastRetries keeps fault tests quick.
var fastRetries = sdelements.RetryPolicy{MaxRetries: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// newFake starts a fake and a client for it.
func newFake(t *testing.T, fakeOpts []sdelementstest.Option, opts ...sdelements.Option) (*sdelementstest.Server, *sdelements.Client) {
	t.Helper()
	srv := sdelementstest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	contract.Bind(t, srv.URL)
	all := append([]sdelements.Option{
		sdelements.WithBaseURL(srv.URL),
		sdelements.WithToken(sdelementstest.Token),
		sdelements.WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := sdelements.NewClient(all...)
	require.NoError(t, err)
	return srv, c
}

// ids walks the pager and returns the activity ids in order.
func ids(t *testing.T, p *sdelements.Pager[sdelements.Activity]) []int64 {
	t.Helper()
	var out []int64
	for a, err := range p.All() {
		require.NoError(t, err)
		out = append(out, a.ID)
	}
	return out
}

// descending returns hi, hi-1, ..., lo.
func descending(hi, lo int64) []int64 {
	var out []int64
	for id := hi; id >= lo; id-- {
		out = append(out, id)
	}
	return out
}

var ctx = context.Background()
