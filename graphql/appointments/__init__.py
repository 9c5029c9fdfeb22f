"""预约办理 over the API: a tenant's open slots, the signed-in person's bookings, booking and cancelling."""
