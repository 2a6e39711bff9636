package io.fastrtc.ui;

import java.util.List;
import java.util.Map;

/** A component whose value is one of its {@code choices}: what {@link Dropdown} and {@link Radio} share. */
public interface Choice extends Component {

    List<String> choices();

    /** The choice a connection starts with. */
    String value();

    @Override
    default Object defaultValue() {
        return value();
    }

    @Override
    default Object coerce(Object v) {
        return Values.choose(this, choices(), v);
    }

    @Override
    default Map<String, Object> describe() {
        return Values.describeChoices(this, choices());
    }
}
