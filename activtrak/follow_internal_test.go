package activtrak

import "testing"

func TestIDWindowForgetsOldestBeyondItsSize(t *testing.T) {
	w := newIDWindow(3)
	for _, id := range []int64{1, 2, 3} {
		if !w.add(id) {
			t.Fatalf("id %d reported as seen", id)
		}
	}
	if w.add(2) {
		t.Fatal("2 is within the window")
	}
	for range 2 {
		if !w.add(0) {
			t.Fatal("id 0 is never de-duplicated")
		}
	}
	if !w.add(4) { // evicts 1
		t.Fatal("4 is new")
	}
	if !w.add(1) { // 1 forgotten, evicts 2
		t.Fatal("1 fell out of the window")
	}
	if w.add(3) || w.add(4) || w.add(1) {
		t.Fatal("3, 4 and 1 are within the window")
	}
	if len(w.set) != 3 || len(w.ring) != 3 {
		t.Fatalf("window holds %d ids, ring %d", len(w.set), len(w.ring))
	}
}
