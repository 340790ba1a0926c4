package sdelements_test

import (
	"testing"

	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

// BenchmarkWalk100k walks 100,000 activities from the fake, 1,000 per page.
func BenchmarkWalk100k(b *testing.B) {
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(100_000))
	defer srv.Close()
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 1000}).All() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatalf("walked %d activities", n)
		}
	}
}
