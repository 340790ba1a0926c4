package activtrak_test

import (
	"context"
	"testing"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

// BenchmarkListActivityLog100k walks 100,000 records in pages of 1000.
func BenchmarkListActivityLog100k(b *testing.B) {
	srv := activtraktest.NewServer(activtraktest.WithDays(100), activtraktest.WithRecordsPerDay(1000))
	defer srv.Close()
	c, err := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
	if err != nil {
		b.Fatal(err)
	}
	params := &activtrak.ActivityLogParams{StartDate: srv.StartDate()}
	for b.Loop() {
		n := 0
		for _, err := range c.ListActivityLog(context.Background(), params).All() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatalf("walked %d records", n)
		}
	}
}
