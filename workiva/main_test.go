package workiva_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/activitysdk/activity-go/internal/contract"
)

// TestMain holds every request the tests send and every answer workivatest
// gives to Workiva's published OpenAPI document (testdata).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(contract.Main(m, contract.Docs{
		"workiva": contract.File("testdata/workiva.openapi.yaml", contract.FreeForm("attachments")),
	}))
}
