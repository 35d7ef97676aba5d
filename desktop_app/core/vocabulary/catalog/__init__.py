"""The models a source offers, as plain values the picker, the controller and the Copilot boundary
share: one ``CatalogModel`` each (``model``), their groups in the picker (``groups``) and the words
that describe them (``wording``). No Qt, no SDK: ``core.copilot.model_info`` builds them from it."""
