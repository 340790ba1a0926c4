package activtrak_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/activitysdk/activity-go/internal/contract"
)

// TestMain holds every request the tests send and every answer activtraktest
// gives to ActivTrak's published OpenAPI document (testdata), or, for fakes in
// early-access mode, to the early-access description written from its
// documentation.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(contract.Main(m, contract.Docs{
		"activtrak":              contract.File("testdata/activtrak.openapi.yaml"),
		"activtrak-early-access": contract.File("testdata/activtrak-early-access.openapi.yaml"),
	}))
}
