"""Development (institutional) interventions (§7–§8). Filled in by a later issue."""
