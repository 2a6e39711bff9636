package io.fastrtc.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ComponentsTest {

    @Test
    void slidersTakeNumbersInRange() {
        Slider s = Slider.of("Threshold", 0, 1, 0.3);
        assertThat(s.coerce(1)).isEqualTo(1.0);
        assertThat(s.coerce("0.5")).isEqualTo(0.5);
        assertThatThrownBy(() -> s.coerce(1.5)).hasMessage("slider 'Threshold' takes a number from 0.0 to 1.0; got 1.5");
        assertThatThrownBy(() -> s.coerce(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Slider.of("Bad", 1, 0, 0.5)).hasMessageContaining("minimum < maximum");
        assertThat(s.describe()).containsEntry("type", "slider").containsEntry("value", 0.3).containsEntry("maximum", 1.0);
    }

    @Test
    void choicesMustBeAmongTheOptions() {
        Dropdown d = Dropdown.of("Model", "small", "small", "large");
        assertThat(d.coerce("large")).isEqualTo("large");
        assertThatThrownBy(() -> d.coerce("huge")).hasMessage("dropdown 'Model' takes one of [small, large]; got \"huge\"");
        assertThatThrownBy(() -> Radio.of("Mode", "c", "a", "b")).hasMessageContaining("default among them");
        assertThat(Radio.of("Mode", "a", "a", "b").describe()).containsKey("choices");
    }

    @Test
    void textNumbersAndCheckboxes() {
        Textbox t = new Textbox("Prompt", "", 5);
        assertThat(t.coerce("hello")).isEqualTo("hello");
        assertThat(t.coerce(42)).isEqualTo("42");
        assertThatThrownBy(() -> t.coerce("toolong")).hasMessageContaining("at most 5 characters");
        assertThatThrownBy(() -> t.coerce(java.util.List.of())).hasMessageContaining("takes text");
        Checkbox c = Checkbox.of("Mirror", false);
        assertThat(c.coerce("true")).isEqualTo(true);
        assertThatThrownBy(() -> c.coerce(1)).hasMessage("checkbox 'Mirror' takes true or false; got 1");
        NumberInput n = new NumberInput("Count", 1, 0, 10);
        assertThat(n.coerce(3)).isEqualTo(3.0);
        assertThatThrownBy(() -> n.coerce(11)).hasMessageContaining("from 0.0 to 10.0");
        assertThat(NumberInput.of("Any", 2).coerce(-1e9)).isEqualTo(-1e9);
    }
}
