"""好差评: one rating per case and per window visit, bad-rating rectification, appeals, satisfaction."""
