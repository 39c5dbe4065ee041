"""The channels a delivery goes out on: e-mail, SMS, signed webhooks, phone tasks."""
